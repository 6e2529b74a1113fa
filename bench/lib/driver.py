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


def proc_cpu_split(pid):
    """(own, children) CPU seconds of one process: its own threads, and the children it has reaped
    (for a worker JVM: the ffmpeg processes it ran). (0, 0) when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return (0.0, 0.0)
    return ((int(fields[11]) + int(fields[12])) / CLK_TCK, (int(fields[13]) + int(fields[14])) / CLK_TCK)


def own_cpu_seconds():
    """CPU of this driver process and the helpers it ran (psql, pgrep): the client's own cost."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def thread_cpu(pid):
    """CPU seconds by thread name (digits folded: "GC Thread#0", "GC Thread#1" -> "GC Thread#N") of one process."""
    out = {}
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return out
    for task in tasks:
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        key = "".join("N" if c.isdigit() else c for c in name)
        out[key] = out.get(key, 0.0) + (int(fields[11]) + int(fields[12])) / CLK_TCK
    return out


class SplitMeter:
    """Own and children CPU of named processes (name=PID or name=PID,PID,...), e.g. JVMs vs their ffmpeg."""

    def __init__(self, specs):
        self.groups = {}
        for spec in specs or []:
            name, _, value = spec.partition("=")
            if value.startswith("@"):
                self.groups[name] = (lambda n=value[1:]: pids_named(n))
            else:
                self.groups[name] = (lambda ps=[int(v) for v in value.split(",") if v]: ps)

    def snapshot(self):
        groups = {name: finder() for name, finder in self.groups.items()}
        return {"groups": {name: {pid: proc_cpu_split(pid) for pid in pids} for name, pids in groups.items()},
                "threads": {name: [thread_cpu(pid) for pid in pids] for name, pids in groups.items()},
                "client": own_cpu_seconds(), "t": time.monotonic()}

    @staticmethod
    def delta(before, after):
        result = {"own_s": {}, "children_s": {}}
        for name, pids in after["groups"].items():
            was = before["groups"].get(name, {})
            result["own_s"][name] = round(sum(max(0.0, o - was.get(pid, (0.0, 0.0))[0]) for pid, (o, _) in pids.items()), 3)
            result["children_s"][name] = round(sum(max(0.0, c - was.get(pid, (0.0, 0.0))[1]) for pid, (_, c) in pids.items()), 3)
        # where each group's own CPU went, by thread (JIT compilers, GC, JobRunr, Tomcat, ...);
        # threads that ended meanwhile are missing here (they are in own_s)
        result["threads_s"] = {}
        for name, per_pid in after["threads"].items():
            was_list = before["threads"].get(name, [])
            total = {}
            for i, threads in enumerate(per_pid):
                was = was_list[i] if i < len(was_list) else {}
                for key, value in threads.items():
                    total[key] = total.get(key, 0.0) + max(0.0, value - was.get(key, 0.0))
            result["threads_s"][name] = {k: round(v, 3) for k, v in sorted(total.items(), key=lambda kv: -kv[1])[:12]
                                         if v >= 0.005}
        result["client_s"] = round(after["client"] - before["client"], 3)
        result["wall_s"] = round(after["t"] - before["t"], 3)
        result["client_core_pct"] = round(100.0 * result["client_s"] / result["wall_s"], 1) if result["wall_s"] else None
        return result


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
            groups[name] = (lambda ps=[int(v) for v in value.split(",") if v]: ps)
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
           "--token", args.token or "", "--timeout", str(args.timeout), "--sources", str(args.sources or 0),
           "--out", str(out_file)]
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


class PsqlSession:
    """One psql process for many queries (a psql per query costs the client ~20 ms of CPU each)."""

    END = "--cct-bench-end--"

    def __init__(self, db):
        self.proc = subprocess.Popen(["psql", "-h", HOST, "-U", "postgres", "-d", db, "-XAtq", "-F", "\t"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def query(self, sql):
        self.proc.stdin.write(sql.rstrip().rstrip(";") + f";\nselect '{self.END}';\n")
        self.proc.stdin.flush()
        rows = []
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("psql ended")
            line = line.rstrip("\n")
            if line == self.END:
                return rows
            rows.append(line.split("\t"))

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()


def wait_all_finished(db, ids, timeout_s, session=None):
    """Polls PostgreSQL (twice a second, one psql session) until every task has ended; returns the rows."""
    deadline = time.monotonic() + timeout_s
    id_list = ",".join(f"'{i}'" for i in ids)
    own = session is None
    session = session or PsqlSession(db)
    try:
        while True:
            rows = session.query("select id, status, extract(epoch from created_at), extract(epoch from started_at), "
                                 f"extract(epoch from finished_at), coalesce(error,'') from tasks where id in ({id_list})")
            if all(r[1] in ("processed", "failed", "cancelled") for r in rows) and len(rows) == len(ids):
                return rows, False
            if time.monotonic() > deadline:
                return rows, True
            time.sleep(0.5)
    finally:
        if own:
            session.close()


def ffmpeg_commands_seen():
    out = subprocess.run(["pgrep", "-a", "-x", "ffmpeg"], capture_output=True, text=True).stdout
    return [line.split(" ", 1)[1] for line in out.splitlines() if " " in line]


def cmd_convert(args):
    """N uploads through the service, timed from the first upload to the last `processed`. The client
    keeps its own cost small (it is part of the experiment on 2 cores): one pgrep every 0.25 s until
    the worker's ffmpeg is seen, one psql every 0.5 s until every task has ended; its CPU is reported."""
    api = Api(args.port, args.token)
    content = Path(args.file).read_bytes()
    meter = SplitMeter(args.pids)
    seen = []
    ids = []
    before = meter.snapshot()
    t0 = time.time()
    for i in range(args.count):
        status, body = api.upload(content, Path(args.file).name, args.format)
        if status != 201:
            sys.exit(f"upload {i} answered {status}: {body}")
        ids.append(body["id"])
    uploaded = time.time()
    deadline = time.monotonic() + args.timeout
    session = PsqlSession(args.db)
    try:
        while not seen and time.monotonic() < deadline:
            seen = ffmpeg_commands_seen()
            if seen:
                break
            rows = session.query(f"select count(*) from tasks where id in ({','.join(repr(i) for i in ids)}) "
                                 "and status not in ('uploaded','processing')")
            if int(rows[0][0]) == len(ids):
                break
            time.sleep(0.25)
        rows, timed_out = wait_all_finished(args.db, ids, max(1, deadline - time.monotonic()), session)
    finally:
        session.close()
    cpu = SplitMeter.delta(before, meter.snapshot())
    processed = [r for r in rows if r[1] == "processed"]
    last_finished = max((float(r[4]) for r in rows if r[4]), default=time.time())
    wall = last_finished - t0
    pickups = [1000 * (float(r[3]) - float(r[2])) for r in rows if r[3]]
    runs = [float(r[4]) - float(r[3]) for r in rows if r[3] and r[4]]
    jvm_s = sum(cpu["own_s"].values())
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
        "cpu": cpu,
        # the JVMs' own threads (children, i.e. ffmpeg, excluded), per task
        "jvm_cpu_ms_per_task": round(1000.0 * jvm_s / max(1, len(ids)), 1),
        "ffmpeg_cpu_s_per_task": round(sum(cpu["children_s"].values()) / max(1, len(ids)), 3),
    }
    write_json(args.out, result)
    print(f"  {args.name}: {len(processed)}/{args.count} processed in {wall:.2f} s; JVM CPU "
          f"{result['jvm_cpu_ms_per_task']} ms/task, ffmpeg {result['ffmpeg_cpu_s_per_task']} s/task, client "
          f"{cpu['client_core_pct']}% of a core", flush=True)


def run_direct(args):
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

    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.parallel) as pool:
        outcomes = list(pool.map(one, range(args.count)))
    wall = time.time() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    for i in range(args.count):
        (out_dir / f"direct-{i}.{args.ext}").unlink(missing_ok=True)
    ok = sum(1 for rc, *_ in outcomes if rc == 0)
    ffmpeg_s = (after.ru_utime + after.ru_stime) - (kids.ru_utime + kids.ru_stime)
    return {"name": args.name, "count": args.count, "parallel": args.parallel, "wall_s": round(wall, 3),
            "ok": ok, "failed": args.count - ok, "command": outcomes[0][3],
            "errors": sorted({o[2] for o in outcomes if o[0] != 0})[:3],
            "per_run_s": {"mean": round(sum(o[1] for o in outcomes) / len(outcomes), 3)},
            "ffmpeg_cpu_s_per_task": round(ffmpeg_s / max(1, args.count), 3),
            "conversions_per_min": round(60.0 * ok / wall, 1) if wall > 0 else None}


def cmd_direct(args):
    result = run_direct(args)
    write_json(args.out, result)
    print(f"  {args.name}: {result['ok']}/{args.count} in {result['wall_s']:.2f} s; ffmpeg "
          f"{result['ffmpeg_cpu_s_per_task']} s/task", flush=True)


def cmd_idle(args):
    """What an idle stack costs a direct ffmpeg run: the same direct runs with the stack's processes
    stopped (SIGSTOP: they cannot use the CPU at all) and with them running idle, alternated
    (stopped, idle, idle, stopped, ...). Also the idle processes' own CPU during the idle runs."""
    stack = [int(p) for p in args.stop.split(",") if p]
    watch = CpuMeter(groups_from(args))
    runs = {"stopped": [], "idle": []}
    idle_cpu = []
    try:
        for r in range(args.rounds):
            for mode in (("stopped", "idle") if r % 2 == 0 else ("idle", "stopped")):
                for pid in stack:
                    os.kill(pid, 19 if mode == "stopped" else 18)  # SIGSTOP / SIGCONT
                time.sleep(args.settle)
                before = watch.snapshot()
                result = run_direct(args)
                if mode == "idle":
                    idle_cpu.append(CpuMeter.delta(before, watch.snapshot()))
                runs[mode].append(result["wall_s"])
    finally:
        for pid in stack:
            try:
                os.kill(pid, 18)
            except OSError:
                pass
    wall_idle = sum(idle_cpu_run["wall_s"] for idle_cpu_run in idle_cpu)
    groups = [g for g in watch.groups]
    stack_cores = {g: round(sum(c[g] for c in idle_cpu) / wall_idle, 4) for g in groups} if wall_idle else {}
    stopped, idle = sum(runs["stopped"]) / len(runs["stopped"]), sum(runs["idle"]) / len(runs["idle"])
    result = {"name": args.name, "rounds": args.rounds, "count": args.count, "parallel": args.parallel,
              "stopped_wall_s": runs["stopped"], "idle_wall_s": runs["idle"],
              "slowdown": round(idle / stopped, 4) if stopped else None,
              "idle_stack_cores": stack_cores,
              # the share of the machine the idle stack took while ffmpeg ran (the direct, robust figure)
              "idle_stack_share_pct": round(100.0 * sum(stack_cores.values()) / (os.cpu_count() or 1), 2)}
    write_json(args.out, result)
    print(f"  {args.name}: idle/stopped {result['slowdown']}, the idle stack used "
          f"{result['idle_stack_share_pct']}% of the machine", flush=True)


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
    """Used heap in MB from `jcmd PID GC.heap_info`, or None. G1 prints one line for the heap ("garbage-first
    heap total N, used M"); the parallel and serial collectors one per generation (PSYoungGen + ParOldGen,
    def new generation + tenured generation), which are added up."""
    try:
        out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=15).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None

    def used_kb(line):
        value = line.split(" used ", 1)[1].split()[0].rstrip(",")
        return int(value[:-1]) if value.endswith("K") else None

    generations = []
    for line in out.splitlines():
        text = line.strip()
        if " used " not in text:
            continue
        if "heap" in text:
            kb = used_kb(text)
            return None if kb is None else round(kb / 1024, 1)
        if text.startswith(("PSYoungGen", "ParOldGen", "def new generation", "tenured generation")):
            generations.append(used_kb(text))
    if generations and None not in generations:
        return round(sum(generations) / 1024, 1)
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
    p.add_argument("--sources", type=int, help="uploadgen: client addresses to spread the uploads over")
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
        if name == "convert":
            p.add_argument("--pids", action="append", help="name=PID[,PID...]: own vs children CPU (JVMs vs ffmpeg)")
        if name == "pickup":
            p.add_argument("--jitter", type=float, default=0.5)
            p.add_argument("--budget", type=float, default=300, help="seconds; stops submitting after this")
            p.add_argument("--task-timeout", type=float, default=30)
            p.add_argument("--wake-ups", default="true")
            p.add_argument("--seed", type=int, default=9)

    for name, func in (("direct", cmd_direct), ("idle", cmd_idle)):
        p = sub.add_parser(name)
        p.add_argument("--name", required=True)
        p.add_argument("--file", required=True)
        p.add_argument("--command", required=True, help="ffmpeg argv with IN and OUT as placeholders")
        p.add_argument("--ext", required=True)
        p.add_argument("--count", type=int, required=True)
        p.add_argument("--parallel", type=int, required=True)
        p.add_argument("--workdir", required=True)
        p.add_argument("--timeout", type=float, default=300)
        p.add_argument("--out", required=True)
        p.set_defaults(func=func)
        if name == "idle":
            p.add_argument("--stop", required=True, help="PID,PID,...: the stack's processes, stopped and resumed")
            p.add_argument("--pids", action="append", help="name=PID or name=@procname: CPU watched while idle")
            p.add_argument("--rounds", type=int, default=4)
            p.add_argument("--settle", type=float, default=1.0, help="seconds after a stop/resume before a run")

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
