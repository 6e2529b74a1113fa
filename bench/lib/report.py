#!/usr/bin/env python3
"""Merges the parts written by driver.py into bench/results/latest.json and latest.md."""
import argparse
import datetime
import json
import os
import platform
import subprocess
from pathlib import Path

TARGETS = {
    "upload_rps_c20": 100.0, "upload_p95_ms_c20": 300.0, "upload_error_rate": 0.0,
    "status_rps": 3000.0, "status_p95_ms": 20.0,
    "conversion_overhead": 1.10,
    "pickup_p50_ms": 50.0, "pickup_p99_ms": 500.0,
    # issue 16: uploads by uploadgen.py (unique names, sendfile), c=20, ratios to the sink in the same run
    "stream_multipart_rps": 120.0, "stream_multipart_ratio": 0.4, "stream_p95_ms": 300.0,
    "stream_web_cpu_ms": 10.0, "stream_raw_ratio": 0.6, "stream_generator_core_pct": 20.0,
    "big_ratio": 0.6,
}


def part(parts, name):
    try:
        return json.loads((parts / f"{name}.json").read_text())
    except (OSError, ValueError):
        return None


def first_step(data):
    return (data or {}).get("steps", [{}])[0] if data and data.get("steps") else {}


def fmt(value, digits=1, unit=""):
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{unit}"
    return f"{value:,}{unit}"


def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


def verdict(ok):
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


def machine_facts(elapsed):
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")

    def version(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
            return (out.stdout or out.stderr).splitlines()[0].strip()
        except (OSError, IndexError, subprocess.SubprocessError):
            return "?"

    return {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "host": platform.node(), "kernel": platform.release(), "cpu": cpu, "nproc": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1), "load_average_at_end": list(os.getloadavg()),
        "java": version(["java", "-version"]), "ffmpeg": version(["ffmpeg", "-version"]),
        "wrk": version(["wrk", "--version"]).split(" Copyright")[0],
        "nginx": version(["nginx", "-v"]),
        "postgresql": version(["psql", "--version"]),
        "load_generator": "wrk and the Python driver on the same host, sharing the cores with the service, "
                          "PostgreSQL, Redis and nginx",
        "bench_seconds": elapsed,
    }


def combine(parts, name):
    """The ABBA rounds of one conversion scenario: mean wall time over the rounds, each round kept."""
    rounds = [r for r in [part(parts, name)] + [part(parts, f"{name}-{i}") for i in range(2, 10)] if r]
    if not rounds:
        return {}
    merged = dict(rounds[0])
    walls = [r["wall_s"] for r in rounds if r.get("wall_s")]
    merged["wall_s"] = round(sum(walls) / len(walls), 3) if walls else None
    merged["rounds_wall_s"] = walls
    ok = sum(r.get("processed", r.get("ok", 0)) for r in rounds)
    merged["failed"] = sum(r.get("failed", 0) for r in rounds)
    merged["conversions_per_min"] = round(60.0 * ok / sum(walls), 1) if walls else None
    return merged


def build(parts, args):
    s = {}
    # 1. uploads
    uploads = {}
    for conc in ("c5", "c20"):
        svc, sink = first_step(part(parts, f"upload-{conc}-service")), first_step(part(parts, f"upload-{conc}-sink"))
        uploads[conc] = {"service": svc, "sink": sink, "ratio_rps": ratio(svc.get("rps"), sink.get("rps"))}
    ramp_conc = sorted(int(f.name.split("-")[2][1:]) for f in parts.glob("upload-ramp-c*-service.json"))
    ramp_svc = [first_step(part(parts, f"upload-ramp-c{c}-service")) for c in ramp_conc]
    ramp_sink = [first_step(part(parts, f"upload-ramp-c{c}-sink")) for c in ramp_conc]
    uploads["ramp"] = [{"connections": a.get("connections"), "service": a, "sink": b,
                        "ratio_rps": ratio(a.get("rps"), b.get("rps"))} for a, b in zip(ramp_svc, ramp_sink)]
    c20 = uploads["c20"]["service"]
    uploads["target_met"] = (None if not c20.get("rps") else
                             c20["rps"] >= TARGETS["upload_rps_c20"]
                             and c20["latency_ms"]["p95"] <= TARGETS["upload_p95_ms_c20"]
                             and c20["error_rate"] <= TARGETS["upload_error_rate"])
    s["uploads"] = uploads
    # 1b. streamed uploads (uploadgen.py), multipart and raw, each against the sink in the same run
    streaming = {}
    for mode in ("multipart", "raw"):
        svc, sink = first_step(part(parts, f"gen-{mode}-service")), first_step(part(parts, f"gen-{mode}-sink"))
        if not svc:
            continue
        cpu = svc.get("cpu_s", {})
        gen_pct = (round(100.0 * cpu["load_generator"] / cpu["wall_s"], 1)
                   if cpu.get("wall_s") and cpu.get("load_generator") is not None else None)
        entry = {"service": svc, "sink": sink, "ratio_rps": ratio(svc.get("rps"), sink.get("rps")),
                 "web_cpu_ms": svc.get("cpu_ms_per_request", {}).get("web"), "generator_core_pct": gen_pct}
        # the same through the project's nginx (200 client addresses): does nginx become the bottleneck?
        proxy = first_step(part(parts, f"gen-{mode}-proxy"))
        if proxy:
            entry["proxy"] = proxy
            entry["proxy_ratio_rps"] = ratio(proxy.get("rps"), sink.get("rps"))
            entry["proxy_vs_direct"] = ratio(proxy.get("rps"), svc.get("rps"))
        lat = svc.get("latency_ms", {})
        if mode == "multipart":
            entry["target_met"] = (None if not svc.get("rps") else
                                   svc["rps"] >= TARGETS["stream_multipart_rps"]
                                   and (entry["ratio_rps"] or 0) >= TARGETS["stream_multipart_ratio"]
                                   and lat.get("p95", 1e9) <= TARGETS["stream_p95_ms"]
                                   and svc.get("error_rate", 1) == 0
                                   and (entry["web_cpu_ms"] or 1e9) <= TARGETS["stream_web_cpu_ms"])
        else:
            entry["target_met"] = (None if not svc.get("rps") else
                                   (entry["ratio_rps"] or 0) >= TARGETS["stream_raw_ratio"] and svc.get("error_rate", 1) == 0)
        streaming[mode] = entry
    s["streaming_uploads"] = streaming
    # 2. status reads
    st, ceiling = first_step(part(parts, "status-service")), first_step(part(parts, "status-nginx"))
    s["status_reads"] = {"service": st, "nginx_constant": ceiling, "ratio_rps": ratio(st.get("rps"), ceiling.get("rps")),
                         "target_met": None if not st.get("rps") else
                         st["rps"] >= TARGETS["status_rps"] and st["latency_ms"]["p95"] <= TARGETS["status_p95_ms"]
                         and st["error_rate"] == 0}
    # 3. conversions
    conv = {}
    for fmt_ in ("ogg", "wav"):
        svc, direct = combine(parts, f"{fmt_}-service"), combine(parts, f"{fmt_}-direct")
        conv[fmt_] = {"service": svc, "direct": direct, "overhead": ratio(svc.get("wall_s"), direct.get("wall_s"))}
    conv["ogg"]["target_met"] = (None if conv["ogg"]["overhead"] is None else
                                 conv["ogg"]["overhead"] <= TARGETS["conversion_overhead"]
                                 and conv["ogg"]["service"].get("failed") == 0)
    s["conversions"] = conv
    # 4. pickup
    wake, poll = part(parts, "pickup-wake") or {}, part(parts, "pickup-poll") or {}
    lat = wake.get("latency_ms") or {}
    s["pickup"] = {"wake_ups": wake, "poll_only": poll,
                   "target_met": None if lat.get("p50") is None else
                   lat["p50"] <= TARGETS["pickup_p50_ms"] and lat["p99"] <= TARGETS["pickup_p99_ms"]}
    # 5. memory
    big_svc, big_sink = part(parts, "big-service") or {}, part(parts, "big-sink") or {}
    big_raw = part(parts, "big-service-raw") or {}
    big_proxy = part(parts, "big-proxy") or {}
    big_ratio = ratio(big_svc.get("mb_per_s"), big_sink.get("mb_per_s"))
    big_raw_ratio = ratio(big_raw.get("mb_per_s"), big_sink.get("mb_per_s"))
    s["memory"] = {"big_upload": {"service": big_svc, "sink": big_sink, "size": args.big_size,
                                  "web_xmx": args.web_xmx, "ratio_mb_per_s": big_ratio,
                                  "raw": big_raw, "raw_ratio_mb_per_s": big_raw_ratio,
                                  "proxy": big_proxy, "proxy_ratio_mb_per_s": ratio(big_proxy.get("mb_per_s"), big_sink.get("mb_per_s")),
                                  "target_met": bool(big_svc.get("ok")) and (big_ratio or 0) >= TARGETS["big_ratio"]},
                   "peak_rss": part(parts, "rss") or {}}
    return s


def md_table(s, args):
    rows = []
    u = s["uploads"]

    def up(label, svc, sink, r, target, met):
        lat, slat = svc.get("latency_ms", {}), sink.get("latency_ms", {})
        rows.append([label, f"nginx sink writing the same bodies to disk: {fmt(sink.get('rps'))}/s, p95 {fmt(slat.get('p95'), 0)} ms",
                     f"{fmt(svc.get('rps'))}/s, p50 {fmt(lat.get('p50'), 0)} / p95 {fmt(lat.get('p95'), 0)} / "
                     f"p99 {fmt(lat.get('p99'), 0)} ms, errors {fmt(100 * svc.get('error_rate', 0) if svc else None, 2)}%; "
                     f"**{fmt(r, 2)}× the sink**", target, met])

    up("1. Upload 5 MB, c=5", u["c5"]["service"], u["c5"]["sink"], u["c5"]["ratio_rps"], "(none; see c=20)", "n/a")
    up("1. Upload 5 MB, c=20", u["c20"]["service"], u["c20"]["sink"], u["c20"]["ratio_rps"],
       "≥ 100/s, p95 ≤ 300 ms, 0 errors", verdict(u["target_met"]))
    for step in u["ramp"]:
        up(f"1. Upload ramp, c={step['connections']}", step["service"], step["sink"], step["ratio_rps"], "(report)", "n/a")
    for mode, entry in s.get("streaming_uploads", {}).items():
        svc, sink = entry["service"], entry["sink"]
        lat, slat = svc.get("latency_ms", {}), sink.get("latency_ms", {})
        target = ("≥ 120/s, ≥ 0.4× the sink, p95 ≤ 300 ms, 0 errors, web CPU ≤ 10 ms/upload" if mode == "multipart"
                  else "≥ 0.6× the sink, 0 errors")
        rows.append([f"1b. Upload 5 MB, {mode}, unique names, c=20, {svc.get('accounts', 1)} accounts (uploadgen)",
                     f"nginx sink, same bodies: {fmt(sink.get('rps'))}/s, p95 {fmt(slat.get('p95'), 0)} ms",
                     f"{fmt(svc.get('rps'))}/s, p50 {fmt(lat.get('p50'), 0)} / p95 {fmt(lat.get('p95'), 0)} / "
                     f"p99 {fmt(lat.get('p99'), 0)} ms, errors {fmt(100 * svc.get('error_rate', 0), 2)}%; "
                     f"web CPU {fmt(entry['web_cpu_ms'])} ms/upload; generator {fmt(entry['generator_core_pct'])}% of a core; "
                     f"**{fmt(entry['ratio_rps'], 2)}× the sink**", target, verdict(entry["target_met"])])
        px = entry.get("proxy")
        if px:
            plat = px.get("latency_ms", {})
            rows.append([f"1b. The same through the project's nginx (:8000 config), {mode}, 200 client addresses",
                         f"nginx sink: {fmt(sink.get('rps'))}/s; the service direct: {fmt(svc.get('rps'))}/s",
                         f"{fmt(px.get('rps'))}/s, p50 {fmt(plat.get('p50'), 0)} / p95 {fmt(plat.get('p95'), 0)} / "
                         f"p99 {fmt(plat.get('p99'), 0)} ms, errors {fmt(100 * px.get('error_rate', 0), 2)}% "
                         f"(statuses {px.get('statuses', {})}); nginx CPU {fmt(px.get('cpu_ms_per_request', {}).get('proxy'))} ms/upload, "
                         f"web {fmt(px.get('cpu_ms_per_request', {}).get('web'))} ms; **{fmt(entry.get('proxy_ratio_rps'), 2)}× the sink, "
                         f"{fmt(entry.get('proxy_vs_direct'), 2)}× direct**", "(report: nginx must not be the bottleneck)", "n/a"])
    st = s["status_reads"]
    svc, ng = st["service"], st["nginx_constant"]
    rows.append(["2. Status reads `GET /api/tasks/{id}` (JWT), c=20",
                 f"nginx answering a constant: {fmt(ng.get('rps'), 0)}/s, p95 {fmt(ng.get('latency_ms', {}).get('p95'), 1)} ms",
                 f"{fmt(svc.get('rps'), 0)}/s, p50 {fmt(svc.get('latency_ms', {}).get('p50'), 1)} / p95 "
                 f"{fmt(svc.get('latency_ms', {}).get('p95'), 1)} / p99 {fmt(svc.get('latency_ms', {}).get('p99'), 1)} ms, "
                 f"errors {fmt(100 * svc.get('error_rate', 0) if svc else None, 2)}%",
                 "≥ 3,000/s, p95 ≤ 20 ms", verdict(st["target_met"])])
    for fmt_, label in (("ogg", "mp3 → ogg"), ("wav", "mp3 → wav (the course's case)")):
        c = s["conversions"][fmt_]
        svc, d = c["service"], c["direct"]
        rows.append([f"3. {svc.get('count', '?')} × 5 MB {label}, {args.workers} workers",
                     f"the same ffmpeg command run directly, {d.get('parallel', '?')} at a time: {fmt(d.get('wall_s'), 2)} s "
                     f"({' / '.join(fmt(w, 2) for w in d.get('rounds_wall_s', []))}; {fmt(d.get('conversions_per_min'), 0)}/min)",
                     f"{fmt(svc.get('wall_s'), 2)} s first upload → last processed "
                     f"({' / '.join(fmt(w, 2) for w in svc.get('rounds_wall_s', []))}; {fmt(svc.get('conversions_per_min'), 0)}/min), "
                     f"{svc.get('failed', '?')} failed; **overhead {fmt(c['overhead'], 2)}×**",
                     "≤ 1.10×" if fmt_ == "ogg" else "(report)",
                     verdict(c.get("target_met")) if fmt_ == "ogg" else "n/a"])
    p = s["pickup"]
    w, q = p["wake_ups"].get("latency_ms", {}), p["poll_only"].get("latency_ms", {})
    rows.append(["4. Pickup latency, idle worker (enqueue → processing)",
                 f"wake-ups off (JobRunr's 5 s poll), {p['poll_only'].get('samples', 0)} tasks: "
                 f"p50 {fmt(q.get('p50'), 0)} / p99 {fmt(q.get('p99'), 0)} ms",
                 f"wake-ups on, {p['wake_ups'].get('samples', 0)} tasks: p50 {fmt(w.get('p50'), 1)} / p90 {fmt(w.get('p90'), 1)} / "
                 f"p99 {fmt(w.get('p99'), 1)} ms (max {fmt(w.get('max'), 0)})",
                 "p50 ≤ 50 ms, p99 ≤ 500 ms", verdict(p["target_met"])])
    m = s["memory"]
    b, bs = m["big_upload"]["service"], m["big_upload"]["sink"]
    rss = m["peak_rss"]
    web_rss = max((v.get("peak_rss_mb") or 0) for k, v in rss.items() if k.startswith("web")) if rss else None
    rows.append([f"5. One {args.big_size} upload, web at -Xmx{args.web_xmx}",
                 f"nginx sink: HTTP {bs.get('http_status')}, {fmt(bs.get('seconds'), 1)} s ({fmt(bs.get('mb_per_s'), 0)} MB/s)",
                 f"multipart: HTTP {b.get('http_status')}, {fmt(b.get('seconds'), 1)} s ({fmt(b.get('mb_per_s'), 0)} MB/s, "
                 f"**{fmt(m['big_upload'].get('ratio_mb_per_s'), 2)}× the sink**), heap used "
                 f"{fmt((b.get('heap_used_mb') or {}).get('min'), 0)}-{fmt((b.get('heap_used_mb') or {}).get('max'), 0)} MB; "
                 f"raw: HTTP {m['big_upload']['raw'].get('http_status')}, {fmt(m['big_upload']['raw'].get('mb_per_s'), 0)} MB/s "
                 f"({fmt(m['big_upload'].get('raw_ratio_mb_per_s'), 2)}×); through the project's nginx: HTTP "
                 f"{m['big_upload']['proxy'].get('http_status')}, {fmt(m['big_upload']['proxy'].get('mb_per_s'), 0)} MB/s "
                 f"({fmt(m['big_upload'].get('proxy_ratio_mb_per_s'), 2)}×); web peak RSS {fmt(web_rss)} MB",
                 "succeeds (201), ≥ 0.6× the sink's MB/s", verdict(m["big_upload"]["target_met"])])
    rss_text = ", ".join(f"{k} {v.get('peak_rss_mb')} MB" for k, v in rss.items())
    rows.append(["5. Peak RSS (VmHWM) during the scenarios", "—", rss_text or "n/a", "(report)", "n/a"])
    head = "| scenario | compared against (same run) | result | target | met |\n|---|---|---|---|---|\n"
    return head + "\n".join("| " + " | ".join(str(c) for c in r) + " |" for r in rows) + "\n"


def per_request(step):
    """'web 59.3 ms (kernel 20.1)' for each process group, per request."""
    requests = step.get("requests") or 0
    kernel = step.get("cpu_s", {}).get("of_which_kernel_s", {})
    parts = []
    for name, ms in step.get("cpu_ms_per_request", {}).items():
        text = f"{name} {ms} ms"
        if name in kernel and requests:
            text += f" (kernel {round(1000.0 * kernel[name] / requests, 2)})"
        parts.append(text)
    return ", ".join(parts)


def cpu_lines(s):
    lines = []
    for conc in ("c5", "c20"):
        for who in ("service", "sink"):
            step = s["uploads"][conc][who]
            cpu, per = step.get("cpu_s", {}), step.get("cpu_ms_per_request", {})
            if cpu:
                procs = per_request(step)
                lines.append(f"| upload {conc} → {who} | {fmt(step.get('rps'))}/s | {cpu.get('machine_busy_pct')}% "
                             f"(iowait {cpu.get('machine_iowait_pct')}%) | {cpu.get('other_processes_cores')} | {procs} |")
    for mode, entry in s.get("streaming_uploads", {}).items():
        for who in ("service", "sink", "proxy"):
            step = entry.get(who, {})
            cpu = step.get("cpu_s", {})
            if cpu:
                lines.append(f"| upload {mode} (uploadgen) → {who} | {fmt(step.get('rps'))}/s | {cpu.get('machine_busy_pct')}% "
                             f"(iowait {cpu.get('machine_iowait_pct')}%) | {cpu.get('other_processes_cores')} | {per_request(step)} |")
    for name, key in (("status → service", "service"), ("status → nginx", "nginx_constant")):
        step = s["status_reads"][key]
        cpu, per = step.get("cpu_s", {}), step.get("cpu_ms_per_request", {})
        if cpu:
            procs = per_request(step)
            lines.append(f"| {name} | {fmt(step.get('rps'), 0)}/s | {cpu.get('machine_busy_pct')}% "
                         f"(iowait {cpu.get('machine_iowait_pct')}%) | {cpu.get('other_processes_cores')} | {procs} |")
    if not lines:
        return ""
    return ("| run | throughput | machine busy (both cores) | other work on the host (cores) | CPU per request, by process |\n"
            "|---|---|---|---|---|\n"
            + "\n".join(lines) + "\n")


def jfr_lines(jfr, what):
    if not jfr:
        return f"No JFR recording of the {what} run was summarised.\n"
    out = [f"**{what.capitalize()}.** JFR (`settings=profile`) on the web process during a separate 10 s {what} run at c=20 "
           f"({jfr['execution_samples']} execution samples; GC: {jfr['gc']['collections']} collections, "
           f"{jfr['gc']['total_pause_ms']} ms paused in total, longest {jfr['gc']['max_pause_ms']} ms).", "",
           "Execution samples by the nearest library on the stack:", ""]
    out += [f"- {c['name']}: {c['pct']}%" for c in jfr["by_category"][:10]]
    out += ["", "Hottest top frames:", ""]
    out += [f"- `{c['name']}`: {c['pct']}%" for c in jfr["top_frames"][:8]]
    if jfr.get("service_frames"):
        out += ["", "Nearest service frame (com.cct) on sampled stacks:", ""]
        out += [f"- `{c['name']}`: {c['pct']}%" for c in jfr["service_frames"][:6]]
    if jfr.get("native_top_frames"):
        out += ["", f"Threads in native code ({jfr['native_samples']} samples; mostly waiting on sockets and disk):", ""]
        out += [f"- `{c['name']}`: {c['pct']}%" for c in jfr["native_top_frames"][:5]]
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--parts", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--elapsed", type=int, default=0)
    parser.add_argument("--web-xmx", default="256m")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ffmpeg-threads", type=int, default=1)
    parser.add_argument("--big-size", default="2G")
    args = parser.parse_args()
    parts, results = Path(args.parts), Path(args.results)
    facts = machine_facts(args.elapsed)
    scenarios = build(parts, args)
    jfr = {"upload": part(parts, "jfr-upload"), "status": part(parts, "jfr-status")}
    document = {"command": "make bench  (bash scripts/bench.sh)", "machine": facts, "targets": TARGETS,
                "config": {"web_xmx": args.web_xmx, "worker_count": args.workers,
                           "ffmpeg_threads": args.ffmpeg_threads, "big_upload": args.big_size},
                "scenarios": scenarios, "web_profiles": jfr}
    results.mkdir(parents=True, exist_ok=True)
    (results / "latest.json").write_text(json.dumps(document, indent=2) + "\n")

    missed = [name for name, ok in (("uploads", scenarios["uploads"]["target_met"]),
                                    *((f"{m} uploads (uploadgen)", e["target_met"])
                                      for m, e in scenarios.get("streaming_uploads", {}).items()),
                                    ("status reads", scenarios["status_reads"]["target_met"]),
                                    ("conversion overhead", scenarios["conversions"]["ogg"].get("target_met")),
                                    ("pickup latency", scenarios["pickup"]["target_met"]),
                                    ("2 GB upload", scenarios["memory"]["big_upload"]["target_met"])) if ok is False]
    ogg = scenarios["conversions"]["ogg"]
    analysis = results / "analysis.md"
    md = [
        "# Cloud Conversion Tool — benchmark results", "",
        f"`make bench` (`bash scripts/bench.sh`) on {facts['date_utc']}, {facts['nproc']} cores, "
        f"{facts['memory_gb']} GB RAM, took {args.elapsed} s. "
        + ("All targets met." if not missed else "Targets missed: " + ", ".join(missed) + "."), "",
        md_table(scenarios, args),
        "## How to read it", "",
        "Every number comes from one run on one machine, and each scenario is set against a baseline measured in "
        "the same run: uploads against nginx writing the same 5 MB bodies to disk (the machine's ceiling for "
        "taking uploads), status reads against nginx answering a constant, conversions against the very ffmpeg "
        "command the worker runs, started directly with the same parallelism, pickup with wake-ups against the same "
        "worker with wake-ups off. Ratios are the robust part: the load generator (wrk, the Python driver), "
        "PostgreSQL, Redis and nginx share the two cores with the service, and other work on a shared machine adds "
        "noise to absolute numbers. Latencies are client-side (wrk) except pickup, which is `started_at − created_at` "
        "read from PostgreSQL (both stamped by the service: the upload stored, the worker marking it `processing`). "
        "Uploads run with the web process alone (no worker), so conversions never compete with them; the worker "
        f"phase uses a fresh database. The web process runs at -Xmx{args.web_xmx} throughout. Pickup is measured "
        "closed-loop (one task at a time, after a random pause, so the worker is idle and submissions are out of "
        "step with its poll cycle); percentiles are nearest-rank, so with few samples p99 is the maximum. Conversions "
        "run in ABBA order (direct, service, service, direct, ...) and the table gives the mean of the rounds (each "
        "round in brackets; overhead-latest.md has them one by one); upload ramp steps alternate service and sink. The column \"other work on the host\" "
        "below is CPU used by processes the bench did not start (e.g. a test run on a shared machine), in cores: "
        "where it is well above 0, absolute numbers of that run are depressed. The web log's \"Unreadable upload: "
        "EOFException\" lines are the uploads wrk cuts off when each timed run ends, not failures.", "",
        "## Machine", "",
        f"- {facts['cpu']}, nproc {facts['nproc']}, {facts['memory_gb']} GB RAM, kernel {facts['kernel']}, "
        f"load average at the end {', '.join(f'{x:.2f}' for x in facts['load_average_at_end'])}",
        f"- {facts['java']}; {facts['ffmpeg']}; {facts['wrk']}; {facts['nginx']}; {facts['postgresql']}",
        f"- Load generator: {facts['load_generator']}.",
        f"- Service: web `-Xmx{args.web_xmx}`, {args.workers} worker JVMs with one conversion each, ffmpeg "
        f"`-threads {args.ffmpeg_threads}`; PostgreSQL and a private Redis on 127.0.0.1.", "",
        "## Where the time goes", "",
        "CPU used during each run (from /proc; `postgres` is every PostgreSQL process on the host, "
        "`load_generator` is wrk):", "",
        cpu_lines(scenarios),
        jfr_lines(jfr["upload"], "upload"),
        jfr_lines(jfr["status"], "status-read"),
        "ffmpeg command seen running under the worker (ogg): `" + str(ogg["service"].get("ffmpeg_command_seen")) + "`", "",
        "Direct command: `" + str(ogg["direct"].get("command")) + "`", "",
    ]
    if analysis.exists():
        md += ["## Analysis", "", analysis.read_text().strip(), ""]
    (results / "latest.md").write_text("\n".join(md))


if __name__ == "__main__":
    main()
