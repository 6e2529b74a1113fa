#!/usr/bin/env bash
# make bench: starts its own stack (web + worker on free ports, a fresh database, a private Redis,
# an nginx upload sink), runs the scenarios of bench/README.md against 127.0.0.1 only, and writes
# bench/results/latest.md and latest.json. Everything it starts is stopped on exit.
#
# Knobs (environment; defaults fit the 20-minute budget on a 2-core machine):
#   BENCH_UPLOAD_SECONDS (12) per upload run; BENCH_RAMP (1,5,10,20,40) and BENCH_RAMP_SECONDS (6);
#   BENCH_STATUS_SECONDS (12); BENCH_CONVERT_COUNT (16); BENCH_PICKUP_WAKE (100) and
#   BENCH_PICKUP_POLL (36) tasks; BENCH_BIG_SIZE (2G); BENCH_WEB_XMX (256m); CCT_BENCH_DB (cct_bench);
#   BENCH_PHASES (AB; A alone skips the worker phase, for quick runs while developing);
#   BENCH_UPLOAD_ACCOUNTS (20) accounts uploadgen's connections upload as, in turn;
#   BENCH_UPLOADS_ONLY (set: only the uploadgen upload runs, their JFR profile and the big uploads, about
#   6 minutes); BENCH_WARMUP_SECONDS (15) of uploadgen runs before them, not counted;
#   BENCH_OVERHEAD_ONLY (set: only phase B, the conversion overhead of issue 17: 3 rounds each of ogg and
#   wav against ffmpeg alone, an idle stack's cost, a JFR profile of a worker, pickup; about 6 minutes);
#   BENCH_ROUNDS (3) service/direct pairs per conversion scenario; BENCH_WORKER_JVMS (2) worker processes,
#   one conversion each; BENCH_WORKER_JAVA_OPTS (the worker image's own JVM options, app-worker/jvm.options);
#   BENCH_WEB_JAVA_OPTS (the web image's own JVM options, app/jvm.options) before the web's -Xmx.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
LIB=$ROOT/bench/lib
WORK=$ROOT/bench/work
RESULTS=$ROOT/bench/results
PARTS=$WORK/parts
LOGS=$WORK/logs
MEDIA=$WORK/media
STORAGE=$WORK/storage
DB=${CCT_BENCH_DB:-cct_bench}
UPLOAD_SECONDS=${BENCH_UPLOAD_SECONDS:-12}
RAMP=${BENCH_RAMP:-1,5,10,20,40}
RAMP_SECONDS=${BENCH_RAMP_SECONDS:-6}
STATUS_SECONDS=${BENCH_STATUS_SECONDS:-12}
CONVERT_COUNT=${BENCH_CONVERT_COUNT:-16}
PICKUP_WAKE=${BENCH_PICKUP_WAKE:-100}
PICKUP_POLL=${BENCH_PICKUP_POLL:-36}
BIG_SIZE=${BENCH_BIG_SIZE:-2G}
WEB_XMX=${BENCH_WEB_XMX:-256m}
# phase B: this many worker JVMs with one conversion each (as devops add worker machines)
WORKER_JVMS=${BENCH_WORKER_JVMS:-2}
WORKERS=$WORKER_JVMS
ROUNDS=${BENCH_ROUNDS:-3}
PY=${PYTHON:-python3}
STARTED=$(date +%s)

say() { printf '[bench %4ds] %s\n' "$(($(date +%s) - STARTED))" "$*"; }
die() { say "FAILED: $*"; exit 1; }
# shellcheck disable=SC1091 # bench/lib/common.sh: stop_pid, wait_health
source "$LIB/common.sh"
driver() { "$PY" "$LIB/driver.py" "$@"; }

# ------------------------------------------------------------------ prerequisites
[[ -f app/target/app.jar && -f app-worker/target/app-worker.jar ]] || {
  say "jars missing: building (mvn -DskipTests package)"
  mvn -B -q -ntp -DskipTests package
}
if ! command -v wrk > /dev/null; then
  say "installing wrk (apt-get)"
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y -qq wrk > /dev/null; else sudo apt-get install -y -qq wrk > /dev/null; fi
fi
for tool in wrk nginx ffmpeg psql redis-server java jcmd jfr curl "$PY"; do
  command -v "$tool" > /dev/null || die "$tool is not installed (make services installs PostgreSQL/Redis/ffmpeg; apt-get install wrk nginx-light)"
done
psql -h 127.0.0.1 -U postgres -XAtqc 'select 1' > /dev/null || die "PostgreSQL on 127.0.0.1:5432 (user postgres) is not reachable: run make services"

# ------------------------------------------------------------------ everything we start, stopped on exit
WEB_PID="" WORKER_PIDS=() REDIS_PID=""
NGINX_CONF=$WORK/sink/nginx.conf
PROXY_CONF=$WORK/proxy/nginx.conf
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_workers
  stop_pid "$WEB_PID" 20
  if [[ -f $WORK/sink/nginx.pid ]]; then
    nginx -c "$NGINX_CONF" -p "$WORK/sink" -s stop 2> /dev/null || true
  fi
  if [[ -f $WORK/proxy/nginx.pid ]]; then
    nginx -c "$PROXY_CONF" -p "$WORK/proxy" -s stop 2> /dev/null || true
  fi
  stop_pid "$REDIS_PID" 10
  psql -h 127.0.0.1 -U postgres -XAtqc "drop database if exists $DB with (force)" > /dev/null 2>&1 || true
  rm -rf "$STORAGE" "$WORK/sink/body" "$MEDIA/big.bin"
  [[ $rc -eq 0 ]] || say "stopped after an error (exit $rc); logs in $LOGS"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$PARTS" "$STORAGE" "$WORK/sink" "$WORK/proxy" "$LOGS" "$WORK/jars"
mkdir -p "$PARTS" "$LOGS" "$MEDIA" "$STORAGE" "$WORK/sink/body" "$RESULTS" "$WORK/jars"

# Run copies of the jars: a build in the same tree (mvn package) rewrites target/*.jar under a
# running JVM, which then fails to load classes. A copy taken mid-build is caught and retried.
snapshot_jars() {
  local i
  for ((i = 0; i < 30; i++)); do
    cp app/target/app.jar "$WORK/jars/app.jar" && cp app-worker/target/app-worker.jar "$WORK/jars/app-worker.jar" &&
      "$PY" -c 'import sys, zipfile
for j in sys.argv[1:]:
    with zipfile.ZipFile(j) as z:
        assert z.testzip() is None' "$WORK/jars/app.jar" "$WORK/jars/app-worker.jar" 2> /dev/null && return 0
    sleep 2
  done
  die "could not take an intact copy of the jars (a build keeps rewriting them?)"
}
snapshot_jars

read -r WEB_PORT WEB_MGMT DASH_PORT WORKER_MGMT REDIS_PORT SINK_PORT SINK_INNER PROXY_PORT \
  <<< "$(driver ports 18080 19090 18001 19191 16379 18090 18091 18000)"
# the worker JVMs use WORKER_MGMT, WORKER_MGMT+1, ...
for ((i = 1; i < WORKER_JVMS; i++)); do
  (echo > "/dev/tcp/127.0.0.1/$((WORKER_MGMT + i))") 2> /dev/null && die "port $((WORKER_MGMT + i)) is taken"
done
REDIS_URL=redis://127.0.0.1:$REDIS_PORT
JDBC=jdbc:postgresql://127.0.0.1:5432/$DB
JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=' | head -c 64)
FFMPEG_THREADS=$(($(nproc) / WORKERS)); ((FFMPEG_THREADS >= 1)) || FFMPEG_THREADS=1
say "ports: web $WEB_PORT/$WEB_MGMT, worker $WORKER_MGMT, redis $REDIS_PORT, sink $SINK_PORT, proxy $PROXY_PORT; database $DB"

fresh_db() {
  psql -h 127.0.0.1 -U postgres -XAtqc "drop database if exists $DB with (force)" > /dev/null
  psql -h 127.0.0.1 -U postgres -XAtqc "create database $DB" > /dev/null
}
# One bench account uploads thousands of files that no worker converts in phase A: the fair-use
# limits (issue 12) would answer most of them 429, so they are lifted here.
common_env() {
  export SPRING_DATASOURCE_URL=$JDBC SPRING_DATASOURCE_USERNAME=postgres CCT_REDIS_URL=$REDIS_URL \
    CCT_STORAGE_ROOT=$STORAGE CCT_JWT_SECRET=$JWT_SECRET CCT_MAX_UPLOAD_SIZE=3GB \
    CCT_USER_ACTIVE_TASKS=1000000 CCT_USER_UPLOADS_PER_HOUR=1000000 CCT_USER_STORAGE_QUOTA=10TB \
    CCT_SIGNUP_LIMIT_PER_IP=1000
  unset SPRING_PROFILES_ACTIVE SPRING_MAIL_HOST
}
start_web() { # log label
  # shellcheck disable=SC2030,SC2031 # each service gets its own environment in its subshell
  (common_env; export SERVER_PORT=$WEB_PORT MANAGEMENT_SERVER_PORT=$WEB_MGMT JOBRUNR_DASHBOARD_PORT=$DASH_PORT
    # shellcheck disable=SC2086 # BENCH_WEB_JAVA_OPTS is a list of options
    exec java ${BENCH_WEB_JAVA_OPTS:-@$ROOT/app/jvm.options} "-Xmx$WEB_XMX" -jar "$WORK/jars/app.jar") > "$LOGS/web-$1.log" 2>&1 &
  WEB_PID=$!
  wait_health web "$WEB_MGMT" "$WEB_PID"
}
start_workers() { # log label, wake-ups true|false: WORKER_JVMS processes, one conversion each
  local i
  WORKER_PIDS=()
  for ((i = 0; i < WORKER_JVMS; i++)); do
    # shellcheck disable=SC2030,SC2031 # each service gets its own environment in its subshell
    (common_env; export MANAGEMENT_SERVER_PORT=$((WORKER_MGMT + i)) CCT_WORKER_COUNT=1 CCT_WAKE_UPS=$2 CCT_DRAIN_TIMEOUT=10s
      # shellcheck disable=SC2086 # word splitting wanted: a list of JVM options
      exec java ${BENCH_WORKER_JAVA_OPTS:-@$ROOT/app-worker/jvm.options} -jar "$WORK/jars/app-worker.jar") > "$LOGS/worker-$1-$i.log" 2>&1 &
    WORKER_PIDS+=($!)
  done
  for ((i = 0; i < WORKER_JVMS; i++)); do wait_health "worker $i" $((WORKER_MGMT + i)) "${WORKER_PIDS[$i]}"; done
}
stop_workers() {
  local pid
  for pid in "${WORKER_PIDS[@]}"; do stop_pid "$pid" 20; done
  WORKER_PIDS=()
}
worker_list() { local IFS=,; echo "${WORKER_PIDS[*]}"; }
clean_storage() { find "$STORAGE" -mindepth 1 -maxdepth 1 ! -name .incoming -exec rm -rf {} + 2> /dev/null || true; }

# ------------------------------------------------------------------ test media (generated, never committed)
say "generating media"
[[ -s $MEDIA/song5mb.mp3 ]] || ffmpeg -v error -y -f lavfi -i "sine=frequency=440:duration=330" -b:a 128k "$MEDIA/song5mb.mp3"
[[ -s $MEDIA/short.mp3 ]] || ffmpeg -v error -y -f lavfi -i "sine=frequency=660:duration=1" -b:a 128k "$MEDIA/short.mp3"
rm -f "$MEDIA/big.bin"
fallocate -l "$BIG_SIZE" "$MEDIA/big.bin" 2> /dev/null || head -c "$BIG_SIZE" /dev/zero > "$MEDIA/big.bin"

# ------------------------------------------------------------------ the sink and Redis
user_line=""
[[ $(id -u) -eq 0 ]] && user_line="user root root;"
sed -e "s#@WORK@#$WORK#g" -e "s#@PORT@#$SINK_PORT#g" -e "s#@INNER@#$SINK_INNER#g" -e "s#@USER@#$user_line#" \
  "$LIB/sink-nginx.conf" > "$NGINX_CONF"
nginx -c "$NGINX_CONF" -p "$WORK/sink" -e "$WORK/sink/error.log" 2> "$LOGS/nginx.log" || die "the nginx sink did not start: $(cat "$LOGS/nginx.log")"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --logfile "$LOGS/redis.log" > /dev/null &
REDIS_PID=$!
# The project's own nginx (nginx/, rendered as its image renders it) in front of the web process, as
# compose runs it on :8000: only the addresses, the pid file and the log files differ.
CCT_MAX_UPLOAD_SIZE=3GB sh scripts/render-nginx.sh "$WORK/proxy" > /dev/null
sed -i -e "s#listen 8000;#listen 127.0.0.1:$PROXY_PORT;#" -e "s#server app:8080;#server 127.0.0.1:$WEB_PORT;#" \
  -e "s#pid /tmp/nginx.pid;#pid $WORK/proxy/nginx.pid;#" -e "s#access_log /dev/stdout;#access_log $LOGS/proxy-access.log;#" \
  -e "s#error_log /dev/stderr warn;#error_log $LOGS/proxy-error.log warn;#" "$PROXY_CONF"
[[ -z $user_line ]] || sed -i "1i $user_line" "$PROXY_CONF"
grep -q "server 127.0.0.1:$WEB_PORT;" "$PROXY_CONF" || die "the project's nginx config changed: bench.sh cannot point it at the web process"
nginx -c "$PROXY_CONF" -p "$WORK/proxy" 2> "$LOGS/proxy.log" || die "the project's nginx did not start: $(cat "$LOGS/proxy.log")"
PROXY=http://127.0.0.1:$PROXY_PORT

# ================================================================== phase A: web alone (no worker)
if [[ -z ${BENCH_OVERHEAD_ONLY:-} ]]; then
say "phase A: web alone, -Xmx$WEB_XMX, fresh database"
fresh_db
start_web A
TOKEN=$(driver account --port "$WEB_PORT")
# uploadgen's 20 connections upload as UPLOAD_ACCOUNTS accounts in turn (people at once; one account's
# uploads are admitted one at a time, under its lock, against its limits)
UPLOAD_TOKENS=$TOKEN
for ((i = 1; i < ${BENCH_UPLOAD_ACCOUNTS:-20}; i++)); do UPLOAD_TOKENS+=",$(driver account --port "$WEB_PORT")"; done
WEB=http://127.0.0.1:$WEB_PORT
SINK=http://127.0.0.1:$SINK_PORT
upload_load() { # name, target (service|sink), conc list, seconds
  local url=$WEB/api/tasks before="sleep 1; find '$STORAGE' -mindepth 1 -maxdepth 1 ! -name .incoming -exec rm -rf {} + 2> /dev/null || true" pids=(--pids "web=$WEB_PID")
  if [[ $2 == sink ]]; then
    url=$SINK/upload before="sleep 1; rm -rf '$WORK/sink/body'/*" pids=(--pids "sink=file:$WORK/sink/nginx.pid")
  fi
  driver load --name "$1" --url "$url" --script upload.lua --conc "$3" --duration "$4" --token "$TOKEN" \
    --file "$MEDIA/song5mb.mp3" --format ogg "${pids[@]}" --pids "postgres=@postgres" --before "$before" \
    --out "$PARTS/$1.json"
}
# The same closed loop from uploadgen.py (bench/lib): every upload under its own name, the file sent
# with sendfile(2) so the generator's CPU stays small; multipart (fields first) and raw bodies.
# target proxy: the same service through the project's nginx, the uploads spread over 200 client
# addresses (its limits are per address: 2 uploads a second, 8 at once).
gen_load() { # name, target (service|sink|proxy), mode (multipart|raw)
  local url=$WEB/api/tasks before="sleep 1; find '$STORAGE' -mindepth 1 -maxdepth 1 ! -name .incoming -exec rm -rf {} + 2> /dev/null || true" pids=(--pids "web=$WEB_PID") sources=()
  if [[ $2 == sink ]]; then
    url=$SINK/api/tasks before="sleep 1; rm -rf '$WORK/sink/body'/*" pids=(--pids "sink=file:$WORK/sink/nginx.pid")
  elif [[ $2 == proxy ]]; then
    url=$PROXY/api/tasks pids+=(--pids "proxy=file:$WORK/proxy/nginx.pid") sources=(--sources 200)
  fi
  driver load --name "$1" --url "$url" --mode "$3" --conc 20 --duration "$UPLOAD_SECONDS" --timeout 30 --token "$UPLOAD_TOKENS" \
    --file "$MEDIA/song5mb.mp3" --format ogg "${pids[@]}" "${sources[@]}" --pids "postgres=@postgres" --before "$before" \
    --out "$PARTS/$1.json"
}
say "warm-up (not counted): the JIT compiles the upload path first, or its CPU is counted per upload"
upload_load warmup service 5 5 > /dev/null
UPLOAD_SECONDS_WAS=$UPLOAD_SECONDS UPLOAD_SECONDS=${BENCH_WARMUP_SECONDS:-15}
gen_load warmup-gen-multipart service multipart > /dev/null
gen_load warmup-gen-raw service raw > /dev/null
UPLOAD_SECONDS=$UPLOAD_SECONDS_WAS
say "scenario 1b: uploads of 5 MB by uploadgen (unique names), multipart and raw, service vs sink (ABBA)"
gen_load gen-multipart-service service multipart
gen_load gen-multipart-sink sink multipart
gen_load gen-multipart-proxy proxy multipart
gen_load gen-raw-proxy proxy raw
gen_load gen-raw-sink sink raw
gen_load gen-raw-service service raw
# Where the web process's time goes: a JFR recording of a separate run (JFR's overhead stays out of
# the measured numbers), summarised by bench/lib/jfr_summary.py into a part of the report.
profile_web() { # name, command...
  local name=$1
  shift
  jcmd "$WEB_PID" JFR.start name="$name" settings=profile > /dev/null
  "$@" > /dev/null
  jcmd "$WEB_PID" JFR.dump name="$name" filename="$WORK/web-$name.jfr" > /dev/null
  jcmd "$WEB_PID" JFR.stop name="$name" > /dev/null
  "$PY" "$LIB/jfr_summary.py" "$WORK/web-$name.jfr" "$PARTS/jfr-$name.json" || say "JFR summary of $name failed"
}

if [[ -z ${BENCH_UPLOADS_ONLY:-} ]]; then
say "scenario 1: uploads of 5 MB, service vs sink"
upload_load upload-c5-service service 5 "$UPLOAD_SECONDS"
upload_load upload-c5-sink sink 5 "$UPLOAD_SECONDS"
upload_load upload-c20-service service 20 "$UPLOAD_SECONDS"
upload_load upload-c20-sink sink 20 "$UPLOAD_SECONDS"
# step by step, service and sink alternating, so both see the same background load
for conc in ${RAMP//,/ }; do
  upload_load "upload-ramp-c$conc-service" service "$conc" "$RAMP_SECONDS"
  upload_load "upload-ramp-c$conc-sink" sink "$conc" "$RAMP_SECONDS"
done

fi # BENCH_UPLOADS_ONLY (the wrk upload runs)

say "profiling a c20 upload run (uploadgen, multipart) with JFR (not counted)"
profile_web upload gen_load upload-c20-profiled service multipart
clean_storage

if [[ -z ${BENCH_UPLOADS_ONLY:-} ]]; then

say "scenario 2: status reads at c20 (service vs nginx answering a constant)"
TASK_ID=$(psql -h 127.0.0.1 -U postgres -d "$DB" -XAtqc "select id from tasks order by created_at desc limit 1")
[[ -n $TASK_ID ]] || die "no task to read"
driver load --name warmup-status --url "$WEB/api/tasks/$TASK_ID" --script get.lua --conc 20 --duration 3 \
  --token "$TOKEN" --out "$PARTS/warmup-status.json" > /dev/null
driver load --name status-service --url "$WEB/api/tasks/$TASK_ID" --script get.lua --conc 20 --duration "$STATUS_SECONDS" \
  --token "$TOKEN" --pids "web=$WEB_PID" --pids "redis=$REDIS_PID" --pids "postgres=@postgres" --out "$PARTS/status-service.json"
driver load --name status-nginx --url "http://127.0.0.1:$SINK_INNER/status" --script get.lua --conc 20 \
  --duration "$STATUS_SECONDS" --token "$TOKEN" --pids "sink=file:$WORK/sink/nginx.pid" --out "$PARTS/status-nginx.json"

say "profiling a c20 status-read run with JFR (not counted)"
profile_web status driver load --name status-profiled --url "$WEB/api/tasks/$TASK_ID" --script get.lua --conc 20 \
  --duration 10 --token "$TOKEN" --out "$PARTS/status-profiled.json"

fi # BENCH_UPLOADS_ONLY

say "scenario 5: a $BIG_SIZE upload, streamed by curl, web at -Xmx$WEB_XMX (and the same to the sink)"
driver bigupload --name big-sink --url "$SINK/upload" --file "$MEDIA/big.bin" --sink --timeout 240 --workdir "$WORK" \
  --pids "sink=file:$WORK/sink/nginx.pid" --out "$PARTS/big-sink.json"
rm -rf "$WORK/sink/body"/*
driver bigupload --name big-service --url "$WEB/api/tasks" --token "$TOKEN" --file "$MEDIA/big.bin" --format zip \
  --timeout 240 --workdir "$WORK" --pids "web=$WEB_PID" --heap-pid "$WEB_PID" --out "$PARTS/big-service.json"
clean_storage
driver bigupload --name big-service-raw --url "$WEB/api/tasks" --token "$TOKEN" --file "$MEDIA/big.bin" --format zip \
  --raw --timeout 240 --workdir "$WORK" --pids "web=$WEB_PID" --heap-pid "$WEB_PID" --out "$PARTS/big-service-raw.json"
clean_storage
driver bigupload --name big-proxy --url "$PROXY/api/tasks" --token "$TOKEN" --file "$MEDIA/big.bin" --format zip \
  --timeout 240 --workdir "$WORK" --pids "web=$WEB_PID" --pids "proxy=file:$WORK/proxy/nginx.pid" --heap-pid "$WEB_PID" \
  --out "$PARTS/big-proxy.json"
clean_storage
driver rss --name web-phaseA --pid "$WEB_PID" --jvm="-Xmx$WEB_XMX" --out "$PARTS/rss.json"
kill -0 "$WEB_PID" 2> /dev/null || die "the web process died during phase A"
stop_pid "$WEB_PID" 30
WEB_PID=""
nginx -c "$NGINX_CONF" -p "$WORK/sink" -s stop 2> /dev/null || true
nginx -c "$PROXY_CONF" -p "$WORK/proxy" -s stop 2> /dev/null || true
rm -rf "$STORAGE" "$WORK/sink/body" "$MEDIA/big.bin"
mkdir -p "$STORAGE"
else
  nginx -c "$NGINX_CONF" -p "$WORK/sink" -s stop 2> /dev/null || true
  nginx -c "$PROXY_CONF" -p "$WORK/proxy" -s stop 2> /dev/null || true
fi # BENCH_OVERHEAD_ONLY (phase A)

# ================================================================== phase B: web + workers
if [[ ${BENCH_PHASES:-AB} == *B* && -z ${BENCH_UPLOADS_ONLY:-} ]]; then
say "phase B: web + $WORKER_JVMS worker JVMs (one conversion each, wake-ups on), fresh database"
fresh_db
start_web B
start_workers wake true
TOKEN=$(driver account --port "$WEB_PORT")
pickup() { # name, count, jitter seconds, wake-ups
  driver pickup --name "$1" --port "$WEB_PORT" --token "$TOKEN" --db "$DB" --file "$MEDIA/short.mp3" --format wav \
    --count "$2" --jitter "$3" --wake-ups "$4" --budget 330 --out "$PARTS/$1.json"
}
pickup warmup-wake 3 0.2 true > /dev/null

say "scenario 3: $CONVERT_COUNT x 5 MB mp3 -> ogg and -> wav, service vs the same ffmpeg commands, $ROUNDS rounds each"
FF_IN=(-y -v error -nostdin -nostats -protocol_whitelist file -f mp3 -i IN -sn -dn -threads "$FFMPEG_THREADS" -map_metadata -1 -vn -map 0:a:0)
OGG_OUT=(-f ogg -acodec libvorbis -q:a 4)
WAV_OUT=(-f wav -acodec pcm_s16le)
direct() { # name, ext, output args...
  local name=$1 ext=$2
  shift 2
  driver direct --name "$name" --file "$MEDIA/song5mb.mp3" --ext "$ext" --count "$CONVERT_COUNT" --parallel "$WORKERS" \
    --workdir "$WORK/direct" --command "ffmpeg ${FF_IN[*]} $* OUT" --out "$PARTS/$name.json"
}
convert() { # name, format
  driver convert --name "$1" --port "$WEB_PORT" --token "$TOKEN" --db "$DB" --file "$MEDIA/song5mb.mp3" --format "$2" \
    --count "$CONVERT_COUNT" --timeout 300 --pids "web=$WEB_PID" --pids "workers=$(worker_list)" --out "$PARTS/$1.json"
  clean_storage
}
# Rounds in ABBA order (direct, service, service, direct, direct, service...): background load on a
# shared machine hits both sides alike. Round r's parts are NAME-r (the first is NAME).
rounds() { # format ext output args...
  local fmt=$1 ext=$2 r suffix
  shift 2
  for ((r = 1; r <= ROUNDS; r++)); do
    suffix=""; ((r == 1)) || suffix="-$r"
    if ((r % 2 == 1)); then direct "$fmt-direct$suffix" "$ext" "$@"; convert "$fmt-service$suffix" "$fmt"
    else convert "$fmt-service$suffix" "$fmt"; direct "$fmt-direct$suffix" "$ext" "$@"; fi
  done
}
# not counted: the JIT compiles the upload and conversion paths first (a long-running service has them compiled)
for warm in 1 2 3 4; do convert "warmup-wav-$warm" wav > /dev/null; done
convert warmup-ogg ogg > /dev/null
rounds ogg ogg "${OGG_OUT[@]}"
rounds wav wav "${WAV_OUT[@]}"

say "scenario 3b: what an idle stack costs ffmpeg run directly (the stack stopped vs running idle, alternated)"
driver idle --name idle-stack --file "$MEDIA/song5mb.mp3" --ext ogg --count 6 --parallel "$WORKERS" --rounds 4 \
  --workdir "$WORK/direct" --command "ffmpeg ${FF_IN[*]} ${OGG_OUT[*]} OUT" --stop "$WEB_PID,$(worker_list),$REDIS_PID" \
  --pids "web=$WEB_PID" --pids "workers=$(worker_list)" --pids "redis=$REDIS_PID" --pids "postgres=@postgres" \
  --out "$PARTS/idle-stack.json"

say "profiling a worker during an ogg run with JFR, sampling every millisecond (not counted)"
# the worker's Java code runs little (ffmpeg does the work): JFR's usual 10 ms sampling gives a dozen samples
JDK_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
sed 's#<setting name="period" control="method-sampling-java-interval">10 ms</setting>#<setting name="period" control="method-sampling-java-interval">1 ms</setting>#' \
  "$JDK_HOME/lib/jfr/profile.jfc" > "$WORK/fine.jfc"
jcmd "${WORKER_PIDS[0]}" JFR.start name=worker settings="$WORK/fine.jfc" > /dev/null
convert ogg-profiled ogg > /dev/null
jcmd "${WORKER_PIDS[0]}" JFR.dump name=worker filename="$WORK/worker-ogg.jfr" > /dev/null
jcmd "${WORKER_PIDS[0]}" JFR.stop name=worker > /dev/null
"$PY" "$LIB/jfr_summary.py" "$WORK/worker-ogg.jfr" "$PARTS/jfr-worker.json" || say "JFR summary of the worker failed"

say "scenario 4: pickup latency, idle workers, wake-ups on ($PICKUP_WAKE tasks)"
pickup pickup-wake "$PICKUP_WAKE" 0.5 true
driver rss --name worker-wake --pid "${WORKER_PIDS[0]}" --out "$PARTS/rss.json"
stop_workers
if [[ -z ${BENCH_OVERHEAD_ONLY:-} ]]; then
say "scenario 4: pickup latency, idle workers, wake-ups off: JobRunr's 5 s poll ($PICKUP_POLL tasks)"
start_workers poll false
pickup warmup-poll 1 0.1 false > /dev/null
pickup pickup-poll "$PICKUP_POLL" 5.0 false
driver rss --name worker-poll --pid "${WORKER_PIDS[0]}" --out "$PARTS/rss.json"
fi
driver rss --name web-phaseB --pid "$WEB_PID" --jvm="-Xmx$WEB_XMX" --out "$PARTS/rss.json"

fi

# ------------------------------------------------------------------ report
say "writing the results"
"$PY" "$LIB/overhead_report.py" --parts "$PARTS" --results "$RESULTS" --rounds "$ROUNDS" || say "no overhead report"
if [[ -n ${BENCH_OVERHEAD_ONLY:-} ]]; then
  say "done in $(($(date +%s) - STARTED)) s: bench/results/overhead-latest.md"
  exit 0
fi

"$PY" "$LIB/report.py" --parts "$PARTS" --results "$RESULTS" --elapsed "$(($(date +%s) - STARTED))" \
  --web-xmx "$WEB_XMX" --workers "$WORKERS" --ffmpeg-threads "$FFMPEG_THREADS" --big-size "$BIG_SIZE"
if [[ -f $RESULTS/overhead-latest.md ]]; then # issue 17's rounds one by one, a section of latest.md
  { echo; sed -e '1s/^# /## /' -e '2,$s/^## /### /' "$RESULTS/overhead-latest.md"; } >> "$RESULTS/latest.md"
fi
say "done in $(($(date +%s) - STARTED)) s: bench/results/latest.md"

# ------------------------------------------------------------------ load (issue 8, the long form)
# The same 50-client / 5-account / web + 2 workers test that make test runs for 30 s, here for longer.
# It starts its own stack (system-tests harness) after everything above has stopped.
LOAD_SECONDS="${CCT_BENCH_LOAD_SECONDS:-120}"
[[ -z ${BENCH_UPLOADS_ONLY:-} ]] || LOAD_SECONDS=0
if [[ "$LOAD_SECONDS" -gt 0 ]]; then
  say "load: 50 clients, 5 accounts, web + 2 workers for ${LOAD_SECONDS} s (LoadSystemTests)"
  mvn -B -q -ntp -pl system-tests test -Dtest=LoadSystemTests -Dcct.load.seconds="$LOAD_SECONDS" \
    -Dsurefire.failIfNoSpecifiedTests=false > "$RESULTS/load.log" 2>&1 || { tail -40 "$RESULTS/load.log"; exit 1; }
  load_line="$(grep -h "^load:" "$RESULTS/load.log" | head -1 || true)"
  echo "$load_line" | tee "$RESULTS/load.txt"
  # shellcheck disable=SC2016 # the backquotes are Markdown
  printf '\n## Load (50 clients, 5 accounts, web + 2 workers, %s s)\n\n`%s` (LoadSystemTests: zero 5xx, every list exact, nothing lost or duplicated, or the run fails)\n' \
    "$LOAD_SECONDS" "$load_line" >> "$RESULTS/latest.md"
fi
