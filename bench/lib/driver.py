#!/usr/bin/env python3
"""The bench's measuring half (scripts/bench.sh starts and stops the processes).

Each subcommand runs one scenario against 127.0.0.1 only and writes one JSON part into the parts
folder; `report` merges the parts into bench/results/latest.json and latest.md. Standard library
only; PostgreSQL is read through psql, the load comes from wrk. Every loop is bounded in count and
time.
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import random
import resource
import shlex
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

HOST = "127.0.0.1"
CLK_TCK = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- small helpers

def write_json(path, data):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(str(path) + ".part")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")
    tmp.replace(path)


def read_json(path, default=None):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return default


def percentile(values, p):
    """Nearest-rank percentile of a list (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


def psql(db, sql):
    out = subprocess.run(["psql", "-h", HOST, "-U", "postgres", "-d", db, "-XAtq", "-F", "\t", "-c", sql],
                         check=True, capture_output=True, text=True, timeout=60).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def proc_cpu_seconds(pid):
    """(user, system) CPU seconds of one process and its reaped children ((0, 0) when gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return (0.0, 0.0)
    # after the command name, fields[0] is the state; utime, stime, cutime, cstime are fields[11..14]
    return ((int(fields[11]) + int(fields[13])) / CLK_TCK, (int(fields[12]) + int(fields[14])) / CLK_TCK)


def pids_named(name):
    out = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def machine_cpu():
    parts = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) for v in parts]
    idle, iowait = values[3], values[4]
    return sum(values[:8]), idle, iowait


class CpuMeter:
    """CPU seconds used by named groups of processes, by children of this process, and machine-wide."""

    def __init__(self, groups):
        self.groups = groups  # name -> callable returning pids

    def snapshot(self):
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "groups": {name: {pid: proc_cpu_seconds(pid) for pid in finder()} for name, finder in self.groups.items()},
            "children": usage.ru_utime + usage.ru_stime,
            "machine": machine_cpu(),
            "t": time.monotonic(),
        }

    @staticmethod
    def delta(before, after):
        result = {}
        kernel = {}
        for name, pids in after["groups"].items():
            was = before["groups"].get(name, {})
            user = sum(max(0.0, u - was.get(pid, (0.0, 0.0))[0]) for pid, (u, _) in pids.items())
            system = sum(max(0.0, k - was.get(pid, (0.0, 0.0))[1]) for pid, (_, k) in pids.items())
            result[name] = round(user + system, 2)
            kernel[name] = round(system, 2)
        result["load_generator"] = round(after["children"] - before["children"], 2)
        total = after["machine"][0] - before["machine"][0]
        idle = after["machine"][1] - before["machine"][1]
        iowait = after["machine"][2] - before["machine"][2]
        cpus = os.cpu_count() or 1
        result["machine_busy_pct"] = round(100.0 * (total - idle - iowait) / total, 1) if total else None
        result["machine_iowait_pct"] = round(100.0 * iowait / total, 1) if total else None
        result["cores"] = cpus
        result["wall_s"] = round(after["t"] - before["t"], 2)
        result["of_which_kernel_s"] = kernel
        if total:
            busy_cores = cpus * (total - idle - iowait) / total
            ours = (sum(result[name] for name in after["groups"]) + result["load_generator"]) / max(0.01, result["wall_s"])
            # what else ran meanwhile (other work on a shared machine), in cores
            result["other_processes_cores"] = round(max(0.0, busy_cores - ours), 2)
        return result


def groups_from(args):
    groups = {}
    for spec in args.pids or []:
        name, _, value = spec.partition("=")
        if value.startswith("@"):
            groups[name] = (lambda n=value[1:]: pids_named(n))
        elif value.startswith("file:"):
            groups[name] = (lambda f=value[5:]: nginx_pids(f))
        else:
            groups[name] = (lambda p=int(value): [p])
    return groups


def nginx_pids(pidfile):
    try:
        master = int(Path(pidfile).read_text().strip())
    except (OSError, ValueError):
        return []
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [master] + [int(p) for p in out.split()]


# ---------------------------------------------------------------- HTTP client (127.0.0.1 only)

class Api:
    def __init__(self, port, token=None):
        self.port = port
        self.token = token
        self.conn = None

    def _conn(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        return self.conn

    def call(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        for attempt in (1, 2):
            try:
                conn = self._conn()
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                return resp.status, (json.loads(data) if data and resp.getheader("Content-Type", "").find("json") >= 0 else data)
            except (http.client.HTTPException, OSError):
                self.conn = None
                if attempt == 2:
                    raise
        raise RuntimeError("unreachable")

    def json(self, method, path, payload):
        return self.call(method, path, json.dumps(payload).encode(), {"Content-Type": "application/json"})

    def upload(self, content, filename, new_format):
        boundary = "----cctbench" + uuid.uuid4().hex
        body = b"".join([
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"newFormat\"\r\n\r\n{new_format}\r\n".encode(),
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"notify\"\r\n\r\nfalse\r\n".encode(),
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"fileName\"; filename=\"{filename}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n".encode(),
            content, f"\r\n--{boundary}--\r\n".encode()])
        return self.call("POST", "/api/tasks", body, {"Content-Type": "multipart/form-data; boundary=" + boundary})


# ---------------------------------------------------------------- subcommands

def cmd_ports(args):
    """Free TCP ports on 127.0.0.1: the preferred ones when free, otherwise any."""
    chosen = []
    for preferred in args.preferred:
        port = int(preferred)
        s = socket.socket()
        try:
            s.bind((HOST, port))
        except OSError:
            s.close()
            s = socket.socket()
            s.bind((HOST, 0))
            port = s.getsockname()[1]
        finally:
            s.close()
        while port in chosen:
            s = socket.socket()
            s.bind((HOST, 0))
            port = s.getsockname()[1]
            s.close()
        chosen.append(port)
    print(" ".join(str(p) for p in chosen))


def cmd_account(args):
    api = Api(args.port)
    user = "bench" + uuid.uuid4().hex[:8]
    password = "Bench-" + uuid.uuid4().hex
    status, body = api.json("POST", "/api/auth/signup", {"username": user, "email": user + "@example.com",
                                                         "password1": password, "password2": password})
    if status != 201:
        sys.exit(f"signup answered {status}: {body}")
    status, body = api.json("POST", "/api/auth/login", {"username": user, "password": password})
    if status != 200:
        sys.exit(f"login answered {status}: {body}")
    print(body["token"])


def run_wrk(args, conc, duration, out_file):
    env = dict(os.environ, BENCH_LIB=str(Path(__file__).parent), BENCH_OUT=str(out_file),
               BENCH_TOKEN=args.token or "", BENCH_FILE=args.file or "", BENCH_FORMAT=args.format or "")
    threads = max(1, min(args.threads, conc))
    cmd = ["wrk", "-t", str(threads), "-c", str(conc), "-d", f"{duration}s", "--timeout", f"{args.timeout}s",
           "-s", str(Path(__file__).parent / args.script), args.url]
    Path(out_file).unlink(missing_ok=True)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=duration + args.timeout + 60)
    result = read_json(out_file)
    if proc.returncode != 0 or result is None:
        return {"failed": True, "command": " ".join(cmd), "stderr": proc.stderr[-2000:], "stdout": proc.stdout[-2000:]}
    result["connections"] = conc
    result["threads"] = threads
    return result


def run_uploadgen(args, conc, duration, out_file):
    """The closed-loop upload generator (uploadgen.py: sendfile, unique names) instead of wrk."""
    cmd = [sys.executable, str(Path(__file__).parent / "uploadgen.py"), "--url", args.url, "--conc", str(conc),
           "--duration", str(duration), "--file", args.file, "--format", args.format or "ogg", "--mode", args.mode,
           "--token", args.token or "", "--timeout", str(args.timeout), "--out", str(out_file)]
    Path(out_file).unlink(missing_ok=True)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + args.timeout + 60)
    result = read_json(out_file)
    if proc.returncode != 0 or result is None:
        return {"failed": True, "command": " ".join(cmd), "stderr": proc.stderr[-2000:], "stdout": proc.stdout[-2000:]}
    result["connections"] = conc
    return result


def cmd_load(args):
    meter = CpuMeter(groups_from(args))
    steps = [int(c) for c in args.conc.split(",")]
    results = []
    for conc in steps:
        if args.before:
            subprocess.run(args.before, shell=True, timeout=300)
        before = meter.snapshot()
        if args.mode:
            result = run_uploadgen(args, conc, args.duration, Path(args.out).with_suffix(f".c{conc}.gen.json"))
        else:
            result = run_wrk(args, conc, args.duration, Path(args.out).with_suffix(f".c{conc}.wrk.json"))
        result["cpu_s"] = CpuMeter.delta(before, meter.snapshot())
        requests = result.get("requests") or 0
        if requests:
            result["cpu_ms_per_request"] = {k: round(1000.0 * v / requests, 2) for k, v in result["cpu_s"].items()
                                            if isinstance(v, (int, float)) and k not in ("machine_busy_pct", "machine_iowait_pct", "cores", "wall_s", "other_processes_cores")}
        results.append(result)
        print(f"  {args.name} c={conc}: {result.get('rps', 0):.1f}/s p95 {result.get('latency_ms', {}).get('p95')} ms "
              f"errors {result.get('errors', {}).get('total')}", flush=True)
    write_json(args.out, {"name": args.name, "url": args.url, "duration_s": args.duration, "steps": results})


def wait_all_finished(db, ids, timeout_s):
    """Polls PostgreSQL (twice a second) until every task has ended; returns the rows."""
    deadline = time.monotonic() + timeout_s
    id_list = ",".join(f"'{i}'" for i in ids)
    while True:
        rows = psql(db, "select id, status, extract(epoch from created_at), extract(epoch from started_at), "
                        f"extract(epoch from finished_at), coalesce(error,'') from tasks where id in ({id_list})")
        if all(r[1] in ("processed", "failed", "cancelled") for r in rows) and len(rows) == len(ids):
            return rows, False
        if time.monotonic() > deadline:
            return rows, True
        time.sleep(0.5)


def ffmpeg_commands_seen():
    out = subprocess.run(["pgrep", "-a", "-x", "ffmpeg"], capture_output=True, text=True).stdout
    return [line.split(" ", 1)[1] for line in out.splitlines() if " " in line]


def cmd_convert(args):
    """N uploads through the service, timed from the first upload to the last `processed`."""
    api = Api(args.port, args.token)
    content = Path(args.file).read_bytes()
    seen = []
    ids = []
    t0 = time.time()
    for i in range(args.count):
        status, body = api.upload(content, Path(args.file).name, args.format)
        if status != 201:
            sys.exit(f"upload {i} answered {status}: {body}")
        ids.append(body["id"])
        if not seen:
            seen = ffmpeg_commands_seen()
    uploaded = time.time()
    deadline = time.monotonic() + args.timeout
    while not seen and time.monotonic() < deadline:
        seen = ffmpeg_commands_seen()
        if seen:
            break
        rows = psql(args.db, f"select count(*) from tasks where id in ({','.join(repr(i) for i in ids)}) "
                             "and status not in ('uploaded','processing')")
        if int(rows[0][0]) == len(ids):
            break
        time.sleep(0.05)
    rows, timed_out = wait_all_finished(args.db, ids, max(1, deadline - time.monotonic()))
    processed = [r for r in rows if r[1] == "processed"]
    last_finished = max((float(r[4]) for r in rows if r[4]), default=time.time())
    wall = last_finished - t0
    pickups = [1000 * (float(r[3]) - float(r[2])) for r in rows if r[3]]
    runs = [float(r[4]) - float(r[3]) for r in rows if r[3] and r[4]]
    result = {
        "name": args.name, "count": args.count, "format": args.format, "input_bytes": len(content),
        "wall_s": round(wall, 3), "upload_s": round(uploaded - t0, 3),
        "processed": len(processed), "failed": len(rows) - len(processed), "timed_out": timed_out,
        "errors": sorted({r[5] for r in rows if r[5]})[:5],
        "per_task_run_s": {"mean": round(sum(runs) / len(runs), 3) if runs else None,
                           "max": round(max(runs), 3) if runs else None},
        "queue_wait_ms": {"p50": percentile(pickups, 50), "max": max(pickups) if pickups else None},
        "conversions_per_min": round(60.0 * len(processed) / wall, 1) if wall > 0 else None,
        "ffmpeg_command_seen": seen[0] if seen else None,
    }
    write_json(args.out, result)
    print(f"  {args.name}: {len(processed)}/{args.count} processed in {wall:.2f} s", flush=True)


def cmd_direct(args):
    """The same ffmpeg command the worker runs, N times with the given parallelism, no service."""
    out_dir = Path(args.workdir)
    out_dir.mkdir(parents=True, exist_ok=True)
    template = shlex.split(args.command)

    def one(i):
        target = out_dir / f"direct-{i}.{args.ext}"
        cmd = [part.replace("IN", args.file).replace("OUT", str(target)) if part in ("IN", "OUT") else part
               for part in template]
        started = time.time()
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        return proc.returncode, time.time() - started, proc.stderr[-500:], " ".join(cmd)

    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.parallel) as pool:
        outcomes = list(pool.map(one, range(args.count)))
    wall = time.time() - t0
    for i in range(args.count):
        (out_dir / f"direct-{i}.{args.ext}").unlink(missing_ok=True)
    ok = sum(1 for rc, *_ in outcomes if rc == 0)
    result = {"name": args.name, "count": args.count, "parallel": args.parallel, "wall_s": round(wall, 3),
              "ok": ok, "failed": args.count - ok, "command": outcomes[0][3],
              "errors": sorted({o[2] for o in outcomes if o[0] != 0})[:3],
              "per_run_s": {"mean": round(sum(o[1] for o in outcomes) / len(outcomes), 3)},
              "conversions_per_min": round(60.0 * ok / wall, 1) if wall > 0 else None}
    write_json(args.out, result)
    print(f"  {args.name}: {ok}/{args.count} in {wall:.2f} s", flush=True)


def cmd_pickup(args):
    """Closed loop, one task at a time so the workers are idle: random pause, upload, wait until it
    has ended. Latency = started_at - created_at from PostgreSQL (both stamped by the service)."""
    api = Api(args.port, args.token)
    content = Path(args.file).read_bytes()
    rng = random.Random(args.seed)
    ids = []
    failures = 0
    deadline = time.monotonic() + args.budget
    for i in range(args.count):
        if time.monotonic() > deadline:
            break
        # the pause keeps submissions out of step with the workers' poll cycle
        time.sleep(rng.uniform(0, args.jitter))
        status, body = api.upload(content, Path(args.file).name, args.format)
        if status != 201:
            failures += 1
            continue
        task_id = body["id"]
        ids.append(task_id)
        task_deadline = time.monotonic() + args.task_timeout
        while time.monotonic() < task_deadline:
            status, body = api.call("GET", f"/api/tasks/{task_id}")
            if status == 200 and body.get("status") in ("processed", "failed", "cancelled"):
                break
            time.sleep(0.02)
    rows, _ = wait_all_finished(args.db, ids, 30) if ids else ([], False)
    latencies = sorted(1000 * (float(r[3]) - float(r[2])) for r in rows if r[3])
    result = {
        "name": args.name, "wake_ups": args.wake_ups, "requested": args.count, "samples": len(latencies),
        "upload_failures": failures, "not_processed": sum(1 for r in rows if r[1] != "processed"),
        "latency_ms": {"p50": round(percentile(latencies, 50), 1) if latencies else None,
                       "p90": round(percentile(latencies, 90), 1) if latencies else None,
                       "p99": round(percentile(latencies, 99), 1) if latencies else None,
                       "min": round(latencies[0], 1) if latencies else None,
                       "max": round(latencies[-1], 1) if latencies else None,
                       "mean": round(sum(latencies) / len(latencies), 1) if latencies else None},
        "jitter_s": args.jitter,
    }
    write_json(args.out, result)
    print(f"  {args.name}: {len(latencies)} samples, p50 {result['latency_ms']['p50']} ms, "
          f"p99 {result['latency_ms']['p99']} ms", flush=True)


def cmd_bigupload(args):
    """One large upload, streamed from disk by curl (never read into memory by the client)."""
    meter = CpuMeter(groups_from(args))
    before = meter.snapshot()
    headers = ["-H", "Authorization: Bearer " + args.token] if args.token else []
    if args.raw:
        body = ["-H", "Content-Type: application/octet-stream", "-T", args.file, "-X", "POST"]
        url = args.url + ("&" if "?" in args.url else "?") + f"newFormat={args.format}&fileName={Path(args.file).name}"
    else:
        # fields first, as the README advises: the file is checked before it is stored
        body = ["-F", f"newFormat={args.format}", "-F", f"fileName=@{args.file}"]
        url = args.url
    samples = []
    sampler = None
    if args.heap_pid:
        sampler = HeapSampler(args.heap_pid)
        sampler.start()
    cmd = ["curl", "-sS", "-o", args.workdir + "/big-response.json", "-w", "%{http_code} %{time_total} %{size_upload}",
           "--max-time", str(args.timeout), *headers, *body, url]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout + 30)
    if sampler:
        samples = sampler.stop()
    fields = proc.stdout.split()
    code = int(fields[0]) if fields else 0
    secs = float(fields[1]) if len(fields) > 1 else None
    size = float(fields[2]) if len(fields) > 2 else 0
    result = {"name": args.name, "http_status": code, "ok": code == 201 or (args.sink and 200 <= code < 300),
              "seconds": secs, "bytes": int(size),
              "mb_per_s": round(size / 1e6 / secs, 1) if secs else None,
              "cpu_s": CpuMeter.delta(before, meter.snapshot()), "stderr": proc.stderr[-500:]}
    if samples:
        used = [u for u in samples if u is not None]
        result["heap_used_mb"] = {"samples": len(used), "min": min(used, default=None), "max": max(used, default=None)}
    write_json(args.out, result)
    print(f"  {args.name}: HTTP {code} in {secs} s ({result['mb_per_s']} MB/s)"
          + (f", heap used {result['heap_used_mb']['min']}-{result['heap_used_mb']['max']} MB" if samples else ""),
          flush=True)


class HeapSampler:
    """The JVM's used heap (jcmd GC.heap_info) once a second, on a thread, while a big upload runs."""

    def __init__(self, pid):
        self.pid = pid
        self.samples = []
        self.stopped = False
        self.thread = None

    def start(self):
        import threading
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopped:
            self.samples.append(heap_used_mb(self.pid))
            time.sleep(1.0)

    def stop(self):
        self.stopped = True
        if self.thread:
            self.thread.join(timeout=20)
        return self.samples


def heap_used_mb(pid):
    """Used heap in MB from `jcmd PID GC.heap_info` (G1: "garbage-first heap total N, used M"), or None."""
    try:
        out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=15).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in out.splitlines():
        if " used " in line and "heap" in line:
            value = line.split(" used ", 1)[1].split()[0].rstrip(",")
            if value.endswith("K"):
                return round(int(value[:-1]) / 1024, 1)
    return None


def cmd_rss(args):
    """VmHWM (peak RSS) and VmRSS of one process."""
    data = {}
    try:
        for line in Path(f"/proc/{args.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                data[key] = int(value.split()[0]) // 1024
    except OSError:
        pass
    existing = read_json(args.out, {})
    existing[args.name] = {"peak_rss_mb": data.get("VmHWM"), "rss_mb": data.get("VmRSS"), "jvm": args.jvm}
    write_json(args.out, existing)
    print(f"  {args.name}: peak RSS {data.get('VmHWM')} MB", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("ports")
    p.add_argument("preferred", nargs="+")
    p.set_defaults(func=cmd_ports)

    p = sub.add_parser("account")
    p.add_argument("--port", type=int, required=True)
    p.set_defaults(func=cmd_account)

    p = sub.add_parser("load")
    p.add_argument("--name", required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--script", help="the wrk script (without --mode)")
    p.add_argument("--mode", choices=["multipart", "raw"], help="uploads by uploadgen.py instead of wrk")
    p.add_argument("--conc", required=True, help="comma-separated connection counts, run in turn")
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--timeout", type=int, default=10)
    p.add_argument("--token")
    p.add_argument("--file")
    p.add_argument("--format")
    p.add_argument("--pids", action="append", help="name=PID, name=@procname or name=file:nginx.pid")
    p.add_argument("--before", help="shell command run before each step (e.g. clean the storage)")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_load)

    for name, func in (("convert", cmd_convert), ("pickup", cmd_pickup)):
        p = sub.add_parser(name)
        p.add_argument("--name", required=True)
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--token", required=True)
        p.add_argument("--db", required=True)
        p.add_argument("--file", required=True)
        p.add_argument("--format", required=True)
        p.add_argument("--count", type=int, required=True)
        p.add_argument("--timeout", type=float, default=300)
        p.add_argument("--out", required=True)
        p.set_defaults(func=func)
        if name == "pickup":
            p.add_argument("--jitter", type=float, default=0.5)
            p.add_argument("--budget", type=float, default=300, help="seconds; stops submitting after this")
            p.add_argument("--task-timeout", type=float, default=30)
            p.add_argument("--wake-ups", default="true")
            p.add_argument("--seed", type=int, default=9)

    p = sub.add_parser("direct")
    p.add_argument("--name", required=True)
    p.add_argument("--file", required=True)
    p.add_argument("--command", required=True, help="ffmpeg argv with IN and OUT as placeholders")
    p.add_argument("--ext", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--parallel", type=int, required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_direct)

    p = sub.add_parser("bigupload")
    p.add_argument("--name", required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--token")
    p.add_argument("--file", required=True)
    p.add_argument("--format", default="zip")
    p.add_argument("--sink", action="store_true")
    p.add_argument("--raw", action="store_true", help="the file as the body, fields in the query")
    p.add_argument("--heap-pid", type=int, help="a JVM whose used heap is sampled during the upload")
    p.add_argument("--timeout", type=int, default=300)
    p.add_argument("--workdir", required=True)
    p.add_argument("--pids", action="append")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_bigupload)

    p = sub.add_parser("rss")
    p.add_argument("--name", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--jvm", default="")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_rss)

    parsed = parser.parse_args()
    parsed.func(parsed)
