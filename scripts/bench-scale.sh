#!/usr/bin/env bash
# make bench-scale: how far one PostgreSQL and one Redis carry the job system (issue 20). The real
# web jar and real worker jars (JobRunr servers), conversions replaced by the bench-only no-op
# converter (CCT_BENCH_NOOP_CONVERTER under the bench profile), uploads of a tiny file at rising
# rates with 1, 5, 20 servers, then 1,000 and 5,000 event streams on one web process. Writes
# bench/results/scale-latest.md and scale-latest.json; docs/scaling.md reads them as a model.
#
# PostgreSQL: a throwaway cluster of its own (initdb, pg_stat_statements on, port BENCH_PG_PORT)
# when the server binaries are there and we are root, else a throwaway database on 127.0.0.1:5432.
# Redis: the machine's 127.0.0.1:6379, database BENCH_REDIS_DB (commandstats count the whole server).
#
# Knobs: BENCH_SCALE_SERVERS ("1 5 20"; "1 5 20 50" fits in 24 GB), BENCH_SCALE_RATES ("5 10 20 40"
# uploads/s), BENCH_SCALE_SECONDS (8 per point), BENCH_SCALE_SLEEP (noop; or sleep:50ms),
# BENCH_SCALE_STREAMS ("1000 5000"), BENCH_SCALE_IDLE_SECONDS (10), BENCH_WORKER_XMX (96m),
# BENCH_SCALE_DB (cct_scale), BENCH_PG_PORT (55432), BENCH_PG (cluster|shared), BENCH_REDIS_DB (13).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
LIB=$ROOT/bench/lib
WORK=$ROOT/bench/work/scale
RESULTS=$ROOT/bench/results
PARTS=$WORK/parts
LOGS=$WORK/logs
STORAGE=$WORK/storage
DB=${BENCH_SCALE_DB:-cct_scale}
SERVERS=${BENCH_SCALE_SERVERS:-1 5 20}
RATES=${BENCH_SCALE_RATES:-5 10 20 40}
SECONDS_PER_POINT=${BENCH_SCALE_SECONDS:-8}
CONVERTER=${BENCH_SCALE_SLEEP:-noop}
STREAMS=${BENCH_SCALE_STREAMS:-1000 5000}
IDLE_SECONDS=${BENCH_SCALE_IDLE_SECONDS:-10}
WORKER_XMX=${BENCH_WORKER_XMX:-96m}
PG_MODE=${BENCH_PG:-cluster}
PG_PORT=${BENCH_PG_PORT:-55432}
REDIS_DB=${BENCH_REDIS_DB:-13}
PY=${PYTHON:-python3}
STARTED=$(date +%s)

say() { printf '[bench-scale %4ds] %s\n' "$(($(date +%s) - STARTED))" "$*"; }
die() { say "FAILED: $*"; exit 1; }
# shellcheck disable=SC1091 # bench/lib/common.sh: stop_pid, wait_health
source "$LIB/common.sh"
scale() { "$PY" "$LIB/scale.py" "$@"; }

# ------------------------------------------------------------------ prerequisites
[[ -f app/target/app.jar && -f app-worker/target/app-worker.jar ]] || {
  say "jars missing: building (mvn -DskipTests package)"
  mvn -B -q -ntp -DskipTests package
}
for tool in psql redis-cli java jcmd curl ffmpeg "$PY"; do
  command -v "$tool" > /dev/null || die "$tool is not installed (make services installs PostgreSQL/Redis/ffmpeg)"
done
redis-cli -h 127.0.0.1 -p 6379 ping > /dev/null || die "Redis on 127.0.0.1:6379 is not reachable: run make services"
# 5,000 streams are 5,000 sockets in the web process and as many in the generator
ulimit -n 65536 2> /dev/null || ulimit -n "$(ulimit -Hn)"

INITDB=$(find /usr/lib/postgresql -path '*/bin/initdb' 2> /dev/null | sort -V | tail -1 || true)
if [[ $PG_MODE == cluster && ( -z $INITDB || $(id -u) -ne 0 ) ]]; then
  say "no initdb or not root: a throwaway database on 127.0.0.1:5432 instead of a cluster of its own"
  PG_MODE=shared
fi

# ------------------------------------------------------------------ everything we start, stopped on exit
WEB_PID="" WORKER_PIDS=() PG_DIR=$WORK/pgdata
stop_workers() {
  local pid
  for pid in "${WORKER_PIDS[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
  for pid in "${WORKER_PIDS[@]}"; do stop_pid "$pid" 20; done
  WORKER_PIDS=()
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_workers
  stop_pid "$WEB_PID" 20
  if [[ $PG_MODE == cluster ]]; then
    runuser -u postgres -- "$(dirname "$INITDB")/pg_ctl" -D "$PG_DIR" -m fast stop > /dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  else
    psql -h 127.0.0.1 -U postgres -XAtqc "drop database if exists $DB with (force)" > /dev/null 2>&1 || true
  fi
  redis-cli -h 127.0.0.1 -p 6379 -n "$REDIS_DB" flushdb > /dev/null 2>&1 || true
  rm -rf "$STORAGE"
  [[ $rc -eq 0 ]] || say "stopped after an error (exit $rc); logs in $LOGS"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$WORK"
mkdir -p "$PARTS" "$LOGS" "$STORAGE" "$RESULTS" "$WORK/jars"
# copies of the jars: a build in the same tree would rewrite them under the running JVMs
cp app/target/app.jar app-worker/target/app-worker.jar "$WORK/jars/"

# ------------------------------------------------------------------ PostgreSQL and Redis
if [[ $PG_MODE == cluster ]]; then
  read -r PG_PORT <<< "$("$PY" "$LIB/driver.py" ports "$PG_PORT")"
  mkdir -p "$PG_DIR" && chown postgres "$PG_DIR" "$WORK"
  runuser -u postgres -- "$INITDB" -D "$PG_DIR" -U postgres --auth=trust -E UTF8 > "$LOGS/initdb.log" 2>&1 ||
    die "initdb failed: $LOGS/initdb.log"
  runuser -u postgres -- "$(dirname "$INITDB")/pg_ctl" -D "$PG_DIR" -l "$WORK/pg.log" -w -o \
    "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c max_connections=400 -c fsync=on" \
    start > /dev/null || die "the throwaway cluster did not start: $WORK/pg.log"
else
  PG_PORT=5432
fi
export PGPORT=$PG_PORT REDIS_PORT=6379
psql -h 127.0.0.1 -U postgres -XAtqc "drop database if exists $DB with (force)" > /dev/null
psql -h 127.0.0.1 -U postgres -XAtqc "create database $DB" > /dev/null
psql -h 127.0.0.1 -U postgres -d "$DB" -XAtqc "create extension if not exists pg_stat_statements" > /dev/null 2>&1 || true
redis-cli -h 127.0.0.1 -p 6379 -n "$REDIS_DB" flushdb > /dev/null
say "PostgreSQL $PG_MODE on port $PG_PORT, database $DB; Redis 127.0.0.1:6379/$REDIS_DB"

JDBC=jdbc:postgresql://127.0.0.1:$PG_PORT/$DB
JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=' | head -c 64)
read -r WEB_PORT WEB_MGMT DASH_PORT <<< "$("$PY" "$LIB/driver.py" ports 18180 19190 18101)"
common_env() {
  export SPRING_DATASOURCE_URL=$JDBC SPRING_DATASOURCE_USERNAME=postgres \
    CCT_REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB CCT_STORAGE_ROOT=$STORAGE CCT_JWT_SECRET=$JWT_SECRET \
    CCT_USER_ACTIVE_TASKS=1000000 CCT_USER_UPLOADS_PER_HOUR=1000000 CCT_USER_STORAGE_QUOTA=10TB \
    CCT_USER_RUNNING_TASKS=1000000 CCT_USER_STREAMS=1000000
  unset SPRING_PROFILES_ACTIVE SPRING_MAIL_HOST
}
# Each JobRunr server is its own small JVM (the worker wires exactly one BackgroundJobServer), two
# worker threads each, started together so that 20 start in about the time of a few.
start_workers() { # how many to add
  local n=$1 i ports=() pid
  read -r -a ports <<< "$("$PY" "$LIB/driver.py" ports $(seq 19300 $((19300 + n - 1))))"
  local new=()
  for ((i = 0; i < n; i++)); do
    # shellcheck disable=SC2030,SC2031
    (common_env; export SPRING_PROFILES_ACTIVE=bench CCT_BENCH_NOOP_CONVERTER=$CONVERTER \
      MANAGEMENT_SERVER_PORT=${ports[i]} CCT_WORKER_COUNT=2 CCT_DRAIN_TIMEOUT=5s
      exec java "-Xmx$WORKER_XMX" -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError \
        -jar "$WORK/jars/app-worker.jar") > "$LOGS/worker-${#WORKER_PIDS[@]}.log" 2>&1 &
    WORKER_PIDS+=($!)
    new+=("${ports[i]}:$!")
  done
  for pid in "${new[@]}"; do wait_health worker "${pid%%:*}" "${pid##*:}" 300; done
}

# ------------------------------------------------------------------ web, account, a tiny file
# shellcheck disable=SC2031 # the subshell's exports are meant for the web process alone
(common_env; export SERVER_PORT=$WEB_PORT MANAGEMENT_SERVER_PORT=$WEB_MGMT JOBRUNR_DASHBOARD_PORT=$DASH_PORT
  exec java -Xmx512m -XX:+ExitOnOutOfMemoryError -jar "$WORK/jars/app.jar") > "$LOGS/web.log" 2>&1 &
WEB_PID=$!
wait_health web "$WEB_MGMT" "$WEB_PID" 300
TOKEN=$("$PY" "$LIB/driver.py" account --port "$WEB_PORT")
TINY=$WORK/tiny.mp3
ffmpeg -v error -y -f lavfi -i "sine=frequency=660:duration=0.2" -b:a 32k "$TINY"
say "web on $WEB_PORT; tiny file $(stat -c %s "$TINY") bytes; converter $CONVERTER"

"$PY" - "$PARTS/meta.json" << PYEOF
import json, os, subprocess, sys, time
json.dump({"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
           "machine": f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 2**30} GB, load {os.getloadavg()[0]:.1f} at start",
           "command": "make bench-scale (BENCH_SCALE_SERVERS='$SERVERS' BENCH_SCALE_RATES='$RATES' BENCH_SCALE_SECONDS=$SECONDS_PER_POINT BENCH_SCALE_SLEEP=$CONVERTER)",
           "postgres": "$PG_MODE cluster on port $PG_PORT" if "$PG_MODE" == "cluster" else "shared 127.0.0.1:5432",
           "workers": "one JobRunr server per JVM, -Xmx$WORKER_XMX, CCT_WORKER_COUNT=2, poll 5 s, wake-ups on"},
          open(sys.argv[1], "w"), indent=1)
PYEOF

# warm the upload path so JIT compilation is not counted against the first point
start_workers 1
scale point --port "$WEB_PORT" --token "$TOKEN" --db "$DB" --rate 10 --seconds 5 --file "$TINY" \
  --servers 1 --label warmup --out "$WORK/warmup.json" > /dev/null

# ------------------------------------------------------------------ the job side
for target in $SERVERS; do
  add=$((target - ${#WORKER_PIDS[@]}))
  ((add > 0)) && { say "starting $add more JobRunr server(s) (now $target)"; start_workers "$add"; }
  sleep 5 # let start-up polls settle
  say "$target server(s): idle for $IDLE_SECONDS s"
  scale idle --db "$DB" --servers "$target" --seconds "$IDLE_SECONDS" --out "$PARTS/idle-$(printf %03d "$target").json"
  for rate in $RATES; do
    say "$target server(s): $rate uploads/s for $SECONDS_PER_POINT s"
    scale point --port "$WEB_PORT" --token "$TOKEN" --db "$DB" --rate "$rate" --seconds "$SECONDS_PER_POINT" \
      --file "$TINY" --servers "$target" --label "s$target-r$rate" \
      --out "$PARTS/point-$(printf %03d "$target")-$(printf %04d "$rate").json" |
      "$PY" -c 'import json,sys; p=json.load(sys.stdin); print("   ", {k: p[k] for k in ("accepted","finished","tasks_per_s","pickup_p50_ms","pickup_p99_ms","pg_cpu_ms_per_task","xacts_per_task","statements_per_task","redis_cmds_per_task","machine_busy")})'
  done
done

report() { scale report --parts "$PARTS" --md "$RESULTS/scale-latest.md" --json "$RESULTS/scale-latest.json" > /dev/null; }
report # the job side's table stands even if the stream runs below fail

# ------------------------------------------------------------------ the event side
stop_workers
for n in $STREAMS; do
  say "$n event streams on one web process (tasks queued, no worker), then one worker ends the tasks"
  rm -f "$WORK/ready"
  scale sse --port "$WEB_PORT" --token "$TOKEN" --db "$DB" --streams "$n" --tasks 50 --file "$TINY" \
    --web-pid "$WEB_PID" --ready "$WORK/ready" --out "$PARTS/sse-$(printf %05d "$n").json" > "$LOGS/sse-$n.log" 2>&1 &
  SSE_PID=$!
  for ((i = 0; i < 600; i++)); do
    [[ -f $WORK/ready ]] && break
    kill -0 "$SSE_PID" 2> /dev/null || break
    sleep 0.5
  done
  start_workers 1
  if wait "$SSE_PID"; then tail -1 "$LOGS/sse-$n.log"; else say "the $n-stream run failed: $(tail -3 "$LOGS/sse-$n.log")"; fi
  stop_workers
  if ! kill -0 "$WEB_PID" 2> /dev/null; then # what broke first is a result, not a failure of the bench
    why=$(grep -m1 -o 'OutOfMemoryError.*\|Too many open files' "$LOGS/web.log" || echo "exited; see web.log")
    say "the web process died under $n streams: $why"
    "$PY" -c 'import json, sys; n = int(sys.argv[1]); json.dump({"streams": n, "opened": 0, "errors": {"web process died: " + sys.argv[2]: n}, "open_seconds": None, "events_received": 0, "event_latency_p50_ms": None, "event_latency_p99_ms": None, "rss_kb_per_stream": None, "heap_kb_per_stream": None, "threads": [None, None], "fds": [None, None]}, open(sys.argv[3], "w"))' \
      "$n" "$why" "$PARTS/sse-$(printf %05d "$n").json"
    WEB_PID=""
    break
  fi
done

report
say "done in $(($(date +%s) - STARTED)) s: bench/results/scale-latest.md"
