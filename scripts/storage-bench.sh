#!/usr/bin/env bash
# Times one large upload and its download through the web jar with each storage backend (folder, and
# s3 against a local S3Proxy), and the web process's peak memory. Needs the built jars (make build, or
# mvn -DskipTests install), PostgreSQL and Redis on localhost, and app-core/target/s3proxy/s3proxy.jar
# (copied there by any build of app-core that reaches process-test-resources, e.g. mvn -DskipTests install).
#   scripts/storage-bench.sh [size in MB, default 200]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZE_MB=${1:-200}
WORK=$(mktemp -d /tmp/cct-storage-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -c "drop database if exists cct_sbench with (force)" postgres >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
await_up() { for _ in $(seq 1 240); do curl -s -o /dev/null "$1" && return 0; sleep 0.5; done; echo "no answer from $1" >&2; return 1; }

head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom > "$WORK/upload.bin"
echo "| backend | upload ${SIZE_MB} MB | download | last 1 MB (Range) | web peak RSS |"
echo "|---|---|---|---|---|"
for backend in folder s3; do
  psql -q -h 127.0.0.1 -U postgres -c "drop database if exists cct_sbench with (force)" postgres >/dev/null
  psql -q -h 127.0.0.1 -U postgres -c "create database cct_sbench" postgres >/dev/null
  env_s3=()
  if [[ $backend == s3 ]]; then
    s3_port=$(free_port)
    mkdir -p "$WORK/s3/data/cct-files"
    cat > "$WORK/s3/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$s3_port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench-access
s3proxy.credential=bench-secret-0123456789
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/s3/data
PROPS
    java -Xmx256m -jar app-core/target/s3proxy/s3proxy.jar --properties "$WORK/s3/s3proxy.properties" \
      > "$WORK/s3proxy.log" 2>&1 &
    PIDS+=($!)
    await_up "http://127.0.0.1:$s3_port/"
    env_s3=(CCT_STORAGE_BACKEND=s3 CCT_S3_ENDPOINT="http://127.0.0.1:$s3_port" CCT_S3_BUCKET=cct-files
      CCT_S3_ACCESS_KEY=bench-access CCT_S3_SECRET_KEY=bench-secret-0123456789 CCT_S3_PATH_STYLE=true)
  fi
  port=$(free_port); mport=$(free_port); dport=$(free_port)
  env SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/cct_sbench CCT_STORAGE_ROOT="$WORK/$backend-data" \
    SERVER_PORT="$port" MANAGEMENT_SERVER_PORT="$mport" JOBRUNR_DASHBOARD_PORT="$dport" CCT_MAX_UPLOAD_SIZE=1GB CCT_SIGNUP_LIMIT_PER_IP=1000000 \
    "${env_s3[@]}" java -Xmx256m -XX:+UseSerialGC -jar app/target/app.jar > "$WORK/web-$backend.log" 2>&1 &
  web=$!
  PIDS+=("$web")
  await_up "http://127.0.0.1:$mport/actuator/health"
  B=http://127.0.0.1:$port
  curl -s -w "signup %{http_code}\n" -XPOST "$B/api/auth/signup" -H 'Content-Type: application/json' \
    -d '{"username":"bench'$$'","email":"bench'$$'@example.com","password1":"correct-horse-9","password2":"correct-horse-9"}' >&2
  login=$(curl -s -XPOST "$B/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"bench'$$'","password":"correct-horse-9"}')
  token=$(python3 -c 'import sys,json; print(json.loads(sys.argv[1])["token"])' "$login") || { echo "login failed: $login" >&2; exit 1; }
  up=$(curl -s -o "$WORK/task.json" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $token" \
    -F fileName=@"$WORK/upload.bin" -F newFormat=zip "$B/api/tasks")
  [[ ${up%% *} == 201 ]] || { echo "upload failed: $up $(cat "$WORK/task.json")" >&2; exit 1; }
  name=$(python3 -c 'import sys,json; print(json.load(open(sys.argv[1]))["originalFile"])' "$WORK/task.json")
  down=$(curl -s -o "$WORK/download.bin" -w '%{time_total}' -H "Authorization: Bearer $token" "$B/api/files/$name")
  cmp -s "$WORK/upload.bin" "$WORK/download.bin" || { echo "download differs ($backend)" >&2; exit 1; }
  range=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $token" \
    -H 'Range: bytes=-1048576' "$B/api/files/$name")
  rss=$(awk '/VmHWM/ {print int($2/1024) " MB"}' "/proc/$web/status")
  echo "| $backend | ${up#* } s | $down s (byte-identical) | ${range#* } s (HTTP ${range%% *}) | $rss |"
  kill "$web"; wait "$web" 2>/dev/null || true
  rm -f "$WORK/download.bin"
done
