#!/usr/bin/env python3
"""Closed-loop upload load: N keep-alive connections, each sending one upload after the other, every
one under a unique file name, as multipart (fields first, then the file part) or as a raw body with
the fields in the query. The file's bytes go from the page cache to the socket with sendfile(2), so
the generator's own CPU is little more than the kernel's copy (bench.sh reports it beside the
results). Standard library only; writes the same JSON as report.lua (wrk's runs).

uploadgen.py --url http://127.0.0.1:P/api/tasks --conc 20 --duration 12 --file song.mp3 --format ogg
             --mode multipart|raw [--token T[,T...]] [--timeout 30] [--sources N] --out run.json

--token T1,T2,...: several accounts, connection i uploading as account i mod n (as n people at once; one
account's uploads are admitted one at a time, under its own lock, against its limits).

--sources N: the uploads come from N client addresses (127.0.1.1, 127.0.1.2, ... on the loopback
interface, one new connection per upload, the addresses in turn), as from many people at once; through
the project's nginx, whose limits are per client address, one address would measure those limits.
"""
import argparse
import asyncio
import json
import os
import socket
import time
import urllib.parse

BOUNDARY = "----cctbenchgen7MA4YWxkTrZu0gW"


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


class Stats:
    def __init__(self):
        self.latencies = []
        self.bytes = 0
        self.errors = {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}
        self.statuses = {}


def request_parts(args, url, n, size, token):
    """(head, tail) around the file's bytes for upload number n, each under its own name."""
    name = f"song-{os.getpid()}-{n}.mp3"
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    host = f"{url.hostname}:{url.port}"
    if args.mode == "raw":
        query = urllib.parse.urlencode({"newFormat": args.format, "fileName": name, "notify": "false"})
        path = f"{url.path}?{query}"
        head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Type: application/octet-stream\r\n"
                f"Content-Length: {size}\r\n\r\n").encode()
        return head, b""
    fields = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"newFormat\"\r\n\r\n{args.format}\r\n"
              f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"notify\"\r\n\r\nfalse\r\n"
              f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"fileName\"; filename=\"{name}\"\r\n"
              "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    length = len(fields) + size + len(tail)
    head = (f"POST {url.path} HTTP/1.1\r\nHost: {host}\r\n{auth}"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {length}\r\n\r\n").encode()
    return head + fields, tail


async def read_response(loop, sock, buffered):
    """(status, keep_alive, leftover bytes) of one HTTP/1.1 answer: Content-Length or chunked."""
    data = buffered
    while b"\r\n\r\n" not in data:
        chunk = await loop.sock_recv(sock, 65536)
        if not chunk:
            raise ConnectionError("closed before the answer")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip().lower()
    keep_alive = headers.get("connection") != "close"
    if "content-length" in headers:
        need = int(headers["content-length"])
        while len(rest) < need:
            chunk = await loop.sock_recv(sock, 65536)
            if not chunk:
                raise ConnectionError("closed inside the answer")
            rest += chunk
        return status, keep_alive, rest[need:]
    if headers.get("transfer-encoding") == "chunked":
        while True:
            # the answers are small: wait for the last chunk, then drop what came before it
            end = rest.find(b"0\r\n\r\n")
            if end >= 0 and (end == 0 or rest[end - 2:end] == b"\r\n"):
                return status, keep_alive, rest[end + 5:]
            chunk = await loop.sock_recv(sock, 65536)
            if not chunk:
                raise ConnectionError("closed inside the answer")
            rest += chunk
    return status, False, b""


def source_address(n, sources):
    """The n-th client address of --sources: 127.0.1.1 onwards, 250 per /24."""
    k = n % sources
    return f"127.0.{1 + k // 250}.{1 + k % 250}"


async def connection(args, url, file, size, deadline, stats, counter, token):
    loop = asyncio.get_running_loop()
    sock = None
    leftover = b""
    while time.monotonic() < deadline:
        if sock is None:
            try:
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if args.sources:
                    # each new connection takes the next address (the request counter moves only later)
                    counter[1] += 1
                    sock.bind((source_address(counter[1], args.sources), 0))
                sock.setblocking(False)
                await asyncio.wait_for(loop.sock_connect(sock, (url.hostname, url.port)), args.timeout)
            except (OSError, asyncio.TimeoutError):
                stats.errors["connect"] += 1
                sock.close()
                sock = None
                await asyncio.sleep(0.1)
                continue
            leftover = b""
        counter[0] += 1
        head, tail = request_parts(args, url, counter[0], size, token)
        started = time.monotonic()
        phase = "write"
        try:
            async def exchange():
                nonlocal phase
                await loop.sock_sendall(sock, head)
                await loop.sock_sendfile(sock, file, 0, size, fallback=True)
                if tail:
                    await loop.sock_sendall(sock, tail)
                phase = "read"
                return await read_response(loop, sock, leftover)
            status, keep_alive, leftover = await asyncio.wait_for(exchange(), args.timeout)
        except asyncio.TimeoutError:
            stats.errors["timeout"] += 1
            sock.close()
            sock = None
            continue
        except OSError:
            if time.monotonic() < deadline:
                stats.errors[phase] += 1
            sock.close()
            sock = None
            continue
        if time.monotonic() > deadline + args.timeout:
            break
        stats.latencies.append(1000.0 * (time.monotonic() - started))
        stats.bytes += len(head) + size + len(tail)
        stats.statuses[status] = stats.statuses.get(status, 0) + 1
        if not 200 <= status < 300:
            stats.errors["status"] += 1
        if not keep_alive or args.sources:
            sock.close()
            sock = None
    if sock is not None:
        sock.close()


async def run(args):
    url = urllib.parse.urlparse(args.url)
    size = os.path.getsize(args.file)
    stats = Stats()
    counter = [0, 0]  # requests sent, connections opened
    files = [open(args.file, "rb") for _ in range(args.conc)]
    started = time.monotonic()
    deadline = started + args.duration
    try:
        # --token may list several accounts (comma-separated): connection i uploads as account i mod n
        tokens = args.token.split(",") if args.token else [""]
        await asyncio.gather(*(connection(args, url, f, size, deadline, stats, counter, tokens[i % len(tokens)])
                               for i, f in enumerate(files)))
    finally:
        for f in files:
            f.close()
    seconds = time.monotonic() - started
    requests = len(stats.latencies)
    errors = sum(stats.errors.values())
    lat = stats.latencies
    return {
        "requests": requests, "seconds": round(seconds, 3), "rps": round(requests / seconds, 2) if seconds else 0,
        "bytes": stats.bytes, "errors": dict(stats.errors, total=errors),
        "error_rate": round(errors / requests, 6) if requests else 0, "statuses": stats.statuses,
        "latency_ms": {"mean": round(sum(lat) / len(lat), 2) if lat else 0, "p50": round(percentile(lat, 50), 2),
                       "p90": round(percentile(lat, 90), 2), "p95": round(percentile(lat, 95), 2),
                       "p99": round(percentile(lat, 99), 2), "max": round(max(lat), 2) if lat else 0},
        "generator": "uploadgen.py (" + args.mode + (f", {args.sources} client addresses" if args.sources else "")
                     + f", {len(args.token.split(',')) if args.token else 0} accounts)",
        "accounts": len(args.token.split(",")) if args.token else 0,
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--conc", type=int, default=20)
    p.add_argument("--duration", type=float, default=12)
    p.add_argument("--file", required=True)
    p.add_argument("--format", default="ogg")
    p.add_argument("--mode", choices=["multipart", "raw"], default="multipart")
    p.add_argument("--token", default="")
    p.add_argument("--timeout", type=float, default=30)
    p.add_argument("--sources", type=int, default=0, help="client addresses to spread the uploads over (0: one)")
    p.add_argument("--out", required=True)
    args = p.parse_args()
    result = asyncio.run(run(args))
    tmp = args.out + ".part"
    with open(tmp, "w") as f:
        json.dump(result, f)
        f.write("\n")
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
