#!/usr/bin/env python3
"""Where the web process spends its time, from a JFR recording (JDK 17's `jfr print`, streamed).

Writes JSON: execution samples attributed to the nearest known library on the stack (walking from
the top frame down), the hottest top frames, samples by thread group, native-method samples (threads
blocked in I/O), and GC pauses. Usage: jfr_summary.py RECORDING.jfr OUT.json
"""
import collections
import json
import re
import subprocess
import sys

# first match wins, walking the stack from the top frame down: "the closest library that was running"
CATEGORIES = [
    ("multipart parsing (Tomcat fileupload)", ("org.apache.tomcat.util.http.fileupload.",)),
    ("content check (magic bytes)", ("com.cct.task.ContentInspector",)),
    ("JDBC / PostgreSQL driver / Hikari", ("org.postgresql.", "com.zaxxer.hikari.")),
    ("JobRunr (enqueue, JSON of the job)", ("org.jobrunr.",)),
    ("Redis (Jedis)", ("redis.clients.",)),
    ("JWT / crypto", ("io.jsonwebtoken.", "javax.crypto.", "com.sun.crypto.", "sun.security.")),
    ("JSON (Jackson)", ("com.fasterxml.jackson.",)),
    ("logging", ("ch.qos.logback.", "org.slf4j.", "org.apache.logging.")),
    ("metrics (Micrometer)", ("io.micrometer.",)),
    ("file write / move (java.io, NIO files)", ("java.io.FileOutputStream", "java.io.RandomAccessFile",
                                                "sun.nio.ch.FileChannelImpl", "sun.nio.fs.", "java.nio.file.Files")),
    ("socket read/write (NIO)", ("sun.nio.ch.SocketDispatcher", "sun.nio.ch.NioSocketImpl", "sun.nio.ch.SocketChannelImpl",
                                 "sun.nio.ch.EPoll", "sun.nio.ch.IOUtil")),
    ("Spring Data JDBC / transactions", ("org.springframework.data.", "org.springframework.jdbc.",
                                          "org.springframework.transaction.")),
    ("Spring Security filters", ("org.springframework.security.",)),
    ("Spring MVC", ("org.springframework.web.", "org.springframework.http.")),
    ("Tomcat HTTP (request parsing, buffers)", ("org.apache.tomcat.", "org.apache.coyote.", "org.apache.catalina.")),
    ("service code (com.cct)", ("com.cct.",)),
]

FRAME = re.compile(r"^\s+(\S.*?)\s+line:\s*-?\d+")
THREAD = re.compile(r'sampledThread = "([^"]*)"')


def category(frames):
    for frame in frames:
        for name, prefixes in CATEGORIES:
            if frame.startswith(prefixes):
                return name
    return "other (JDK / unattributed)"


def thread_group(name):
    name = re.sub(r"\d+", "N", name)
    return name


def parse(recording, event, depth):
    """Yields (thread, frames) for each event, streaming `jfr print` output."""
    proc = subprocess.Popen(["jfr", "print", "--events", event, "--stack-depth", str(depth), recording],
                            stdout=subprocess.PIPE, text=True, bufsize=1 << 20)
    thread, frames, in_stack = None, [], False
    for line in proc.stdout:
        if line.startswith(event) or line.startswith("jdk."):
            thread, frames, in_stack = None, [], False
            continue
        match = THREAD.search(line)
        if match:
            thread = match.group(1)
            continue
        if "stackTrace = [" in line:
            in_stack = True
            continue
        if in_stack:
            if line.strip() == "]":
                in_stack = False
                yield thread, frames
                continue
            frame = FRAME.match(line)
            if frame:
                frames.append(frame.group(1))
    proc.wait()


def summarise(recording):
    total = 0
    by_category = collections.Counter()
    top_frames = collections.Counter()
    by_thread = collections.Counter()
    cct_frames = collections.Counter()
    for thread, frames in parse(recording, "jdk.ExecutionSample", 48):
        total += 1
        by_category[category(frames)] += 1
        if frames:
            top_frames[re.sub(r"\(.*", "", frames[0])] += 1
        by_thread[thread_group(thread or "?")] += 1
        first_cct = next((f for f in frames if f.startswith("com.cct.")), None)
        if first_cct:
            cct_frames[re.sub(r"\(.*", "", first_cct)] += 1
    native_total = 0
    native_top = collections.Counter()
    for thread, frames in parse(recording, "jdk.NativeMethodSample", 8):
        native_total += 1
        if frames:
            native_top[re.sub(r"\(.*", "", frames[0])] += 1
    gc = subprocess.run(["jfr", "print", "--events", "jdk.GarbageCollection", recording],
                        capture_output=True, text=True).stdout
    pauses = [float(m.group(1)) * (1000 if m.group(2) == "s" else 1)
              for m in re.finditer(r"sumOfPauses = ([\d.]+) (ms|s)\b", gc)]

    def share(counter, n):
        return [{"name": k, "samples": v, "pct": round(100.0 * v / max(1, n), 1)} for k, v in counter.most_common(12)]

    return {
        "execution_samples": total,
        "by_category": share(by_category, total),
        "top_frames": share(top_frames, total),
        "service_frames": share(cct_frames, total),
        "by_thread": share(by_thread, total),
        "native_samples": native_total,
        "native_top_frames": share(native_top, native_total),
        "gc": {"collections": len(pauses), "total_pause_ms": round(sum(pauses), 1),
               "max_pause_ms": round(max(pauses), 1) if pauses else 0.0},
    }


if __name__ == "__main__":
    result = summarise(sys.argv[1])
    with open(sys.argv[2], "w") as out:
        json.dump(result, out, indent=2)
        out.write("\n")
    print(f"  JFR: {result['execution_samples']} samples; top: "
          + "; ".join(f"{c['name']} {c['pct']}%" for c in result["by_category"][:4]), flush=True)
