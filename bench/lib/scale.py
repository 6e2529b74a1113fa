#!/usr/bin/env python3
"""Helpers of scripts/bench-scale.sh (standard library only; 127.0.0.1 only).

scale.py point --port P --token T --db DB --rate R --seconds S --file F --label L --out point.json
    open-loop uploads at R/s for S s, then waits for every task to end, and measures per task:
    end-to-end tasks/s, pickup p50/p99 (tasks.created_at -> started_at), CPU of this database's
    PostgreSQL backends (/proc), xact_commit and tuples written (pg_stat_database), statements
    (pg_stat_statements when installed), Redis commands (INFO commandstats), rows and bytes added
    to jobrunr_* and our tables; plus the generator's own CPU and the machine's load.
scale.py idle --db DB --seconds S --out idle.json   what the servers cost when nothing happens
scale.py sse --port P --token T --db DB --streams N --tasks K --file F --web-pid PID --out sse.json
    N concurrent event streams over K queued tasks; prints "READY" once they are open, then waits
    for the terminal event of every stream (the script starts a worker) and reports latency.
scale.py report --parts DIR --md OUT.md --json OUT.json
"""
import argparse
import asyncio
import glob
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver import Api, percentile, proc_cpu_seconds as _cpu  # noqa: E402


def proc_cpu_seconds(pid):
    return sum(_cpu(pid))

HOST = "127.0.0.1"
TICK = os.sysconf("SC_CLK_TCK")


def psql(db, sql):
    out = subprocess.run(["psql", "-h", HOST, "-U", "postgres", "-d", db, "-XAtqF", "\t", "-c", sql],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip())
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def redis_calls():
    s = socket.create_connection((HOST, int(os.environ.get("REDIS_PORT", "6379"))), timeout=5)
    s.sendall(b"INFO commandstats\r\n")
    data = b""
    while True:
        chunk = s.recv(65536)
        data += chunk
        if not chunk or (data.startswith(b"$") and len(data) >= int(data[1:data.index(b"\r\n")]) + data.index(b"\r\n") + 4):
            break
    s.close()
    total = 0
    for line in data.decode().splitlines():
        if line.startswith("cmdstat_") and "calls=" in line:
            if line.startswith("cmdstat_info"):
                continue
            total += int(line.split("calls=")[1].split(",")[0])
    return total


def machine_load():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def machine_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v) - v[3] - v[4], sum(v)


class Snapshot:
    """The database's and Redis's counters at one moment."""

    def __init__(self, db):
        self.t = time.time()
        self.backends = {int(r[0]): proc_cpu_seconds(int(r[0])) for r in
                         psql(db, f"select pid from pg_stat_activity where datname = '{db}' and pid <> pg_backend_pid()")}
        self.xact, self.tup = [int(x) for x in psql(
            db, "select xact_commit + xact_rollback, tup_inserted + tup_updated + tup_deleted "
                "from pg_stat_database where datname = current_database()")[0]]
        try:
            self.statements = int(psql(db, "select coalesce(sum(calls), 0) from pg_stat_statements s "
                                           "join pg_database d on d.oid = s.dbid where d.datname = current_database()")[0][0])
        except RuntimeError:
            self.statements = None
        self.tables = {r[0]: (int(r[1]), int(r[2])) for r in psql(
            db, "select c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid) from pg_class c "
                "join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'")}
        self.rows = {r[0]: int(r[1]) for r in psql(
            db, "select 'jobrunr_jobs', count(*) from jobrunr_jobs union all select 'tasks', count(*) from tasks "
                "union all select 'upload_log', count(*) from upload_log")}
        self.redis = redis_calls()
        self.busy = machine_busy()


def delta(db, a, b):
    cpu = 0.0
    for pid, start in a.backends.items():
        end = proc_cpu_seconds(pid) if pid in b.backends else None
        if end is not None and start is not None:
            cpu += end - start
    ours = sum(v[1] for k, v in b.tables.items() if not k.startswith("jobrunr")) - \
        sum(v[1] for k, v in a.tables.items() if not k.startswith("jobrunr"))
    jr = sum(v[1] for k, v in b.tables.items() if k.startswith("jobrunr")) - \
        sum(v[1] for k, v in a.tables.items() if k.startswith("jobrunr"))
    busy = (b.busy[0] - a.busy[0]) / max(1, b.busy[1] - a.busy[1])
    return {"seconds": b.t - a.t, "pg_cpu_s": cpu, "xacts": b.xact - a.xact, "tuples_written": b.tup - a.tup,
            "statements": None if a.statements is None else b.statements - a.statements,
            "redis_cmds": b.redis - a.redis, "bytes_ours": ours, "bytes_jobrunr": jr,
            "rows": {k: b.rows[k] - a.rows.get(k, 0) for k in b.rows}, "machine_busy": busy}


def cmd_point(args):
    content = open(args.file, "rb").read()
    before = Snapshot(args.db)
    load0 = machine_load()
    gen0 = os.times()
    t0 = time.time()
    lock = threading.Lock()
    ids, statuses = [], {}
    n = int(args.rate * args.seconds)
    slots = iter(range(n))

    def sender():
        api = Api(args.port, args.token)
        while True:
            with lock:
                i = next(slots, None)
            if i is None:
                return
            delay = t0 + i / args.rate - time.time()
            if delay > 0:
                time.sleep(delay)
            try:
                status, body = api.upload(content, f"s{i}-{uuid.uuid4().hex[:6]}.mp3", "ogg")
            except OSError:
                status, body = "error", None
            with lock:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                if status == 201 and isinstance(body, dict):
                    ids.append(body["id"])

    threads = [threading.Thread(target=sender) for _ in range(args.senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sent_s = time.time() - t0
    deadline = time.time() + args.drain
    id_list = ",".join(f"'{i}'" for i in ids) or "null"
    while time.time() < deadline:
        left = int(psql(args.db, f"select count(*) from tasks where id in ({id_list}) and finished_at is null")[0][0])
        if left == 0:
            break
        time.sleep(0.5)
    after = Snapshot(args.db)
    gen = os.times()
    rows = psql(args.db, f"select extract(epoch from started_at - created_at), extract(epoch from created_at), "
                         f"extract(epoch from finished_at), status from tasks where id in ({id_list})")
    pickups = [float(r[0]) for r in rows if r[0]]
    done = [r for r in rows if r[2]]
    span = (max(float(r[2]) for r in done) - min(float(r[1]) for r in done)) if done else 0
    d = delta(args.db, before, after)
    per = max(1, len(done))
    result = {"label": args.label, "servers": args.servers, "rate": args.rate, "sent": n, "accepted": len(ids),
              "statuses": statuses, "send_seconds": round(sent_s, 2), "finished": len(done),
              "unfinished": len(ids) - len(done),
              "by_status": {s: sum(1 for r in rows if r[3] == s) for s in {r[3] for r in rows}},
              "tasks_per_s": round(len(done) / span, 2) if span else 0,
              "pickup_p50_ms": round(percentile(pickups, 50) * 1000), "pickup_p99_ms": round(percentile(pickups, 99) * 1000),
              "pg_cpu_ms_per_task": round(d["pg_cpu_s"] * 1000 / per, 2),
              "xacts_per_task": round(d["xacts"] / per, 1), "tuples_written_per_task": round(d["tuples_written"] / per, 1),
              "statements_per_task": None if d["statements"] is None else round(d["statements"] / per, 1),
              "redis_cmds_per_task": round(d["redis_cmds"] / per, 1),
              "jobrunr_bytes_per_task": round(d["bytes_jobrunr"] / per), "our_bytes_per_task": round(d["bytes_ours"] / per),
              "rows_per_task": {k: round(v / per, 2) for k, v in d["rows"].items()},
              "generator_cpu_s": round(gen.user + gen.system - gen0.user - gen0.system, 2),
              "machine_busy": round(d["machine_busy"], 2), "loadavg": [load0, machine_load()]}
    json.dump(result, open(args.out, "w"), indent=1)
    print(json.dumps(result))


def cmd_idle(args):
    a = Snapshot(args.db)
    time.sleep(args.seconds)
    b = Snapshot(args.db)
    d = delta(args.db, a, b)
    result = {"servers": args.servers, "seconds": round(d["seconds"], 1),
              "xacts_per_s": round(d["xacts"] / d["seconds"], 2),
              "statements_per_s": None if d["statements"] is None else round(d["statements"] / d["seconds"], 2),
              "pg_cpu_ms_per_s": round(d["pg_cpu_s"] * 1000 / d["seconds"], 2),
              "redis_cmds_per_s": round(d["redis_cmds"] / d["seconds"], 2), "loadavg": machine_load()}
    json.dump(result, open(args.out, "w"), indent=1)
    print(json.dumps(result))


def proc_status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.strip()
    return {"rss_kb": int(out["VmRSS"].split()[0]), "threads": int(out["Threads"]),
            "fds": len(os.listdir(f"/proc/{pid}/fd"))}


def heap_used_kb(pid):
    out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if "used" in line and "heap" in line.lower():
            used = line.split("used", 1)[1].replace(",", " ").split()[0]
            if used.endswith("K") and used[:-1].isdigit():
                return int(used[:-1])
    return None


async def sse_stream(task_id, token, port, opened, results, errors):
    try:
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write((f"GET /api/tasks/{task_id}/events HTTP/1.1\r\nHost: {HOST}\r\n"
                      f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n").encode())
        await writer.drain()
        status = await reader.readline()
        if b" 200" not in status:
            errors[status.decode().strip()] = errors.get(status.decode().strip(), 0) + 1
            writer.close()
            return
        opened.append(1)
        while True:
            line = await reader.readline()
            if not line:
                break
            # Tomcat's chunks may split "data:" from the JSON, so any line that carries the final status counts
            if any(b'"status":"%s"' % s in line for s in (b"processed", b"failed", b"cancelled")):
                results.append((task_id, time.time()))
                break
        writer.close()
    except OSError as ex:
        errors[type(ex).__name__ + ": " + str(ex)[:60]] = errors.get(type(ex).__name__ + ": " + str(ex)[:60], 0) + 1


async def sse_main(args):
    content = open(args.file, "rb").read()
    api = Api(args.port, args.token)
    ids = []
    for i in range(args.tasks):
        status, body = api.upload(content, f"e{i}.mp3", "ogg")
        if status != 201:
            sys.exit(f"upload for the stream bench answered {status}: {body}")
        ids.append(body["id"])
    base = proc_status(args.web_pid)
    base_heap = heap_used_kb(args.web_pid)
    opened, results, errors = [], [], {}
    t0 = time.time()
    tasks = [asyncio.create_task(sse_stream(ids[i % len(ids)], args.token, args.port, opened, results, errors))
             for i in range(args.streams)]
    while len(opened) + sum(errors.values()) < args.streams and time.time() - t0 < args.open_timeout:
        await asyncio.sleep(0.2)
    open_s = time.time() - t0
    await asyncio.sleep(2)
    subprocess.run(["jcmd", str(args.web_pid), "GC.run"], capture_output=True)
    held = proc_status(args.web_pid)
    held_heap = heap_used_kb(args.web_pid)
    open(args.ready, "w").write("READY\n")
    await asyncio.wait(tasks, timeout=args.event_timeout)
    finished = {r[0]: float(r[1]) for r in psql(args.db, "select id, extract(epoch from finished_at) from tasks "
                                                          "where finished_at is not null")}
    lat = [(t - finished[i]) for i, t in results if i in finished]
    n = max(1, len(opened))
    result = {"streams": args.streams, "opened": len(opened), "errors": errors, "open_seconds": round(open_s, 1),
              "events_received": len(results), "event_latency_p50_ms": round((percentile(lat, 50) or 0) * 1000),
              "event_latency_p99_ms": round((percentile(lat, 99) or 0) * 1000),
              "rss_kb_per_stream": round((held["rss_kb"] - base["rss_kb"]) / n, 1),
              "heap_kb_per_stream": None if base_heap is None or held_heap is None else round((held_heap - base_heap) / n, 1),
              "threads": [base["threads"], held["threads"]], "fds": [base["fds"], held["fds"]],
              "rss_mb": [base["rss_kb"] // 1024, held["rss_kb"] // 1024], "loadavg": machine_load()}
    for t in tasks:
        t.cancel()
    json.dump(result, open(args.out, "w"), indent=1)
    print(json.dumps(result))


def cmd_report(args):
    points = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(args.parts, "point-*.json")))]
    idle = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(args.parts, "idle-*.json")))]
    sse = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(args.parts, "sse-*.json")))]
    meta = json.load(open(os.path.join(args.parts, "meta.json")))
    lines = ["# make bench-scale: the job system alone (no-op converter)", "",
             f"Run {meta['when']} on {meta['machine']}; command `{meta['command']}`. Noisy shared box: compare",
             "ratios and per-task costs, not absolute throughput. Redis counts are of the whole server.", "",
             "## Uploads -> tasks, by JobRunr servers", "",
             "| servers | offered -> accepted /s | accepted | finished | tasks/s | pickup p50 ms | p99 ms | PG CPU ms/task | xacts/task "
             "| stmts/task | tuples/task | Redis cmds/task | jobrunr B/task | ours B/task | gen CPU s | machine busy | load |",
             "|" + "---|" * 17]
    for p in points:
        lines.append(f"| {p['servers']} | {p['rate']:g} -> {p['accepted'] / max(0.1, p['send_seconds']):.1f} | {p['accepted']} | {p['finished']} | {p['tasks_per_s']} "
                     f"| {p['pickup_p50_ms']} | {p['pickup_p99_ms']} | {p['pg_cpu_ms_per_task']} | {p['xacts_per_task']} "
                     f"| {p['statements_per_task']} | {p['tuples_written_per_task']} | {p['redis_cmds_per_task']} "
                     f"| {p['jobrunr_bytes_per_task']} | {p['our_bytes_per_task']} | {p['generator_cpu_s']} "
                     f"| {p['machine_busy']} | {p['loadavg'][1]} |")
    lines += ["", "## Idle servers (nothing queued)", "", "| servers | xacts/s | stmts/s | PG CPU ms/s | Redis cmds/s |",
              "|---|---|---|---|---|"]
    for i in idle:
        lines.append(f"| {i['servers']} | {i['xacts_per_s']} | {i['statements_per_s']} | {i['pg_cpu_ms_per_s']} | {i['redis_cmds_per_s']} |")
    lines += ["", "## Event streams on one web process", "",
              "| streams | opened | errors | RSS KB/stream | heap KB/stream | threads | fds | event p50 ms | p99 ms |",
              "|---|---|---|---|---|---|---|---|---|"]
    for s in sse:
        lines.append(f"| {s['streams']} | {s['opened']} | {s['errors'] or '-'} | {s['rss_kb_per_stream']} "
                     f"| {s['heap_kb_per_stream']} | {s['threads'][0]}->{s['threads'][1]} | {s['fds'][0]}->{s['fds'][1]} "
                     f"| {s['event_latency_p50_ms']} | {s['event_latency_p99_ms']} |")
    open(args.md, "w").write("\n".join(lines) + "\n")
    json.dump({"meta": meta, "points": points, "idle": idle, "sse": sse}, open(args.json, "w"), indent=1)
    print("\n".join(lines))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("point")
    for k in ("--port", "--senders", "--servers"):
        p.add_argument(k, type=int, default=8 if k == "--senders" else None)
    p.add_argument("--rate", type=float, required=True)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--drain", type=float, default=60)
    for k in ("--token", "--db", "--file", "--label", "--out"):
        p.add_argument(k, required=True)
    p = sub.add_parser("idle")
    p.add_argument("--db", required=True)
    p.add_argument("--servers", type=int)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--out", required=True)
    p = sub.add_parser("sse")
    for k in ("--port", "--streams", "--tasks", "--web-pid"):
        p.add_argument(k, type=int, required=True)
    p.add_argument("--open-timeout", type=float, default=120)
    p.add_argument("--event-timeout", type=float, default=120)
    for k in ("--token", "--db", "--file", "--out", "--ready"):
        p.add_argument(k, required=True)
    p = sub.add_parser("report")
    for k in ("--parts", "--md", "--json"):
        p.add_argument(k, required=True)
    args = ap.parse_args()
    if args.cmd == "sse":
        asyncio.run(sse_main(args))
    else:
        globals()["cmd_" + args.cmd](args)


if __name__ == "__main__":
    main()
