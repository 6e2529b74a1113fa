#!/usr/bin/env python3
"""Issue 17's figures from the parts of phase B: bench/results/overhead-latest.md and .json.

Each round pairs the service (16 uploads, first upload to last `processed`) with the very ffmpeg
command the worker runs, started directly with the same parallelism in the same run. A goal holds
only when every round meets it ("three runs out of three").
"""
import argparse
import datetime
import json
from pathlib import Path

GOALS = {"ogg_ratio": 1.10, "wav_ratio": 1.5, "jvm_cpu_ms_per_task": 50.0, "pickup_p50_ms": 50.0,
         "client_core_pct": 10.0, "idle_share_pct": 3.0}


def part(parts, name):
    try:
        return json.loads((parts / f"{name}.json").read_text())
    except (OSError, ValueError):
        return None


def rounds(parts, fmt, count):
    out = []
    for r in range(1, count + 1):
        suffix = "" if r == 1 else f"-{r}"
        svc, direct = part(parts, f"{fmt}-service{suffix}"), part(parts, f"{fmt}-direct{suffix}")
        if not svc or not direct:
            continue
        out.append({"round": r, "service_s": svc["wall_s"], "direct_s": direct["wall_s"],
                    "ratio": round(svc["wall_s"] / direct["wall_s"], 3) if direct["wall_s"] else None,
                    "failed": svc.get("failed", 0) + direct.get("failed", 0),
                    "jvm_cpu_ms_per_task": svc.get("jvm_cpu_ms_per_task"),
                    "jvm_cpu_s": svc.get("cpu", {}).get("own_s"),
                    "jit_ms_per_task": jit_ms(svc),
                    "threads_s": svc.get("cpu", {}).get("threads_s"),
                    "ffmpeg_cpu_s_per_task": svc.get("ffmpeg_cpu_s_per_task"),
                    "direct_ffmpeg_cpu_s_per_task": direct.get("ffmpeg_cpu_s_per_task"),
                    "per_task_run_s": svc.get("per_task_run_s", {}).get("mean"),
                    "direct_per_run_s": direct.get("per_run_s", {}).get("mean"),
                    "client_core_pct": svc.get("cpu", {}).get("client_core_pct"),
                    "queue_wait_p50_ms": svc.get("queue_wait_ms", {}).get("p50"),
                    "command": svc.get("ffmpeg_command_seen"), "direct_command": direct.get("command")})
    return out


def jit_ms(svc):
    """The JIT compiler threads' share of the JVMs' CPU, per task (they settle once the code is compiled)."""
    threads = svc.get("cpu", {}).get("threads_s") or {}
    total = sum(v for group in threads.values() for k, v in group.items() if k.startswith("CN CompilerThre"))
    return round(1000.0 * total / max(1, svc.get("count", 1)), 1)


def all_within(items, key, limit):
    values = [i.get(key) for i in items]
    return None if not values or any(v is None for v in values) else all(v <= limit for v in values)


def ratios(items):
    return ", ".join(f"{r['ratio']:.3f}×" for r in items)


def verdict(ok):
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--parts", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    parts, results = Path(args.parts), Path(args.results)
    ogg, wav = rounds(parts, "ogg", args.rounds), rounds(parts, "wav", args.rounds)
    if not ogg and not wav:
        raise SystemExit("no conversion rounds in " + str(parts))
    idle = part(parts, "idle-stack") or {}
    pickup = part(parts, "pickup-wake") or {}
    jfr = part(parts, "jfr-worker")
    both = ogg + wav
    goals = {
        "ogg_ratio": all_within(ogg, "ratio", GOALS["ogg_ratio"]) and all(r["failed"] == 0 for r in ogg),
        "wav_ratio": all_within(wav, "ratio", GOALS["wav_ratio"]) and all(r["failed"] == 0 for r in wav),
        "jvm_cpu_ms_per_task": all_within(both, "jvm_cpu_ms_per_task", GOALS["jvm_cpu_ms_per_task"]),
        "client_core_pct": all_within(both, "client_core_pct", GOALS["client_core_pct"]),
        "pickup_p50_ms": (None if (pickup.get("latency_ms") or {}).get("p50") is None
                          else pickup["latency_ms"]["p50"] <= GOALS["pickup_p50_ms"]),
        "idle_share_pct": (None if idle.get("idle_stack_share_pct") is None
                           else idle["idle_stack_share_pct"] <= GOALS["idle_share_pct"]),
    }
    document = {"command": "BENCH_OVERHEAD_ONLY=1 bash scripts/bench.sh (or make bench)",
                "date_utc": datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC"), "goals": GOALS,
                "met": goals, "ogg": ogg, "wav": wav, "idle_stack": idle,
                "pickup": pickup.get("latency_ms"), "worker_profile": jfr}
    results.mkdir(parents=True, exist_ok=True)
    (results / "overhead-latest.json").write_text(json.dumps(document, indent=2) + "\n")

    md = ["# Conversion overhead (issue 17)", "",
          f"Phase B of `make bench` on {document['date_utc']} (alone: `BENCH_OVERHEAD_ONLY=1 bash scripts/bench.sh`): "
          "web + worker JVMs with one conversion each; each round is 16 uploads of a 5 MB mp3 through the "
          "service (first upload to last `processed`, PostgreSQL timestamps) against the worker's own ffmpeg "
          "command run directly with the same parallelism, in ABBA order.", "",
          "| round | conversion | ffmpeg alone | service | ratio | ffmpeg CPU/task alone → under the worker | "
          "JVM CPU/task (web + workers) | of which JIT compilers | client | run per task (service / alone) |",
          "|---|---|---|---|---|---|---|---|---|---|"]
    for label, items in (("mp3 → ogg", ogg), ("mp3 → wav", wav)):
        for r in items:
            md.append(f"| {r['round']} | {label} | {r['direct_s']:.2f} s | {r['service_s']:.2f} s | **{r['ratio']:.3f}×** | "
                      f"{r['direct_ffmpeg_cpu_s_per_task']} s → {r['ffmpeg_cpu_s_per_task']} s | "
                      f"{r['jvm_cpu_ms_per_task']} ms ({', '.join(f'{k} {v} s' for k, v in (r['jvm_cpu_s'] or {}).items())}) | "
                      f"{r['jit_ms_per_task']} ms | {r['client_core_pct']}% of a core | {r['per_task_run_s']} / {r['direct_per_run_s']} s |")
    lat = pickup.get("latency_ms") or {}
    md += ["", "| goal | measured | met |", "|---|---|---|",
           f"| mp3 → ogg ≤ {GOALS['ogg_ratio']}× in every round | {ratios(ogg)} | {verdict(goals['ogg_ratio'])} |",
           f"| mp3 → wav ≤ {GOALS['wav_ratio']}× in every round | {ratios(wav)} | {verdict(goals['wav_ratio'])} |",
           f"| JVM CPU per task (web + workers) ≤ {GOALS['jvm_cpu_ms_per_task']:.0f} ms | "
           f"{', '.join(str(r['jvm_cpu_ms_per_task']) for r in both)} ms | {verdict(goals['jvm_cpu_ms_per_task'])} |",
           f"| pickup p50 ≤ {GOALS['pickup_p50_ms']:.0f} ms (idle workers, wake-ups) | p50 {lat.get('p50')} / p99 "
           f"{lat.get('p99')} ms ({pickup.get('samples')} tasks) | {verdict(goals['pickup_p50_ms'])} |",
           f"| the client's own CPU < {GOALS['client_core_pct']:.0f}% of a core | "
           f"{', '.join(str(r['client_core_pct']) for r in both)}% | {verdict(goals['client_core_pct'])} |",
           f"| an idle stack takes < {GOALS['idle_share_pct']:.0f}% of the machine from ffmpeg | "
           f"{idle.get('idle_stack_share_pct')}% of both cores ({idle.get('idle_stack_cores')} cores by process); "
           f"direct ffmpeg idle/stopped {idle.get('slowdown')} (walls {idle.get('idle_wall_s')} vs "
           f"{idle.get('stopped_wall_s')} s) | {verdict(goals['idle_share_pct'])} |", ""]
    md += ["How to read it: the ratio is the whole pipeline (upload, queue, pickup, conversion, result stored, "
           "status written) against ffmpeg alone. ffmpeg CPU under the worker is the CPU of the processes the worker "
           "JVMs reaped (their children), JVM CPU their own threads plus the web's; the client (the Python driver, "
           "with its psql and pgrep) is measured from its own rusage. The idle-stack line runs the same direct "
           "ffmpeg with the stack's processes stopped (SIGSTOP) and running idle, alternated; the share of the "
           "machine the idle processes used is the robust figure, the wall ratio is noisier.", ""]
    if ogg:
        md += [f"Worker's command (seen running): `{ogg[0]['command']}`", "",
               f"Direct command: `{ogg[0]['direct_command']}`", ""]
    if ogg and ogg[-1].get("threads_s"):
        md += ["JVM CPU by thread in the last ogg round (seconds for its 16 tasks; `CN CompilerThre` are the JIT "
               "compilers, `backgroundjob-w` JobRunr's worker threads running our conversion code, `http-nio` Tomcat's "
               "request threads):", ""]
        md += [f"- {g}: " + ", ".join(f"`{k}` {v}" for k, v in t.items()) for g, t in ogg[-1]["threads_s"].items()]
        md += [""]
    if jfr:
        md += [f"Worker JFR during one ogg run ({jfr['execution_samples']} execution samples, GC "
               f"{jfr['gc']['collections']} collections, {jfr['gc']['total_pause_ms']} ms paused):", ""]
        md += [f"- {c['name']}: {c['pct']}%" for c in jfr["by_category"][:8]]
        md += ["", "Threads:", ""] + [f"- `{c['name']}`: {c['pct']}%" for c in jfr["by_thread"][:8]]
        md += ["", "Hottest frames:", ""] + [f"- `{c['name']}`: {c['pct']}%" for c in jfr["top_frames"][:8]]
    (results / "overhead-latest.md").write_text("\n".join(md) + "\n")
    print("  overhead: ogg " + ", ".join(f"{r['ratio']:.3f}x" for r in ogg) + "; wav "
          + ", ".join(f"{r['ratio']:.3f}x" for r in wav), flush=True)


if __name__ == "__main__":
    main()
