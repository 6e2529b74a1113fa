#!/usr/bin/env bash
# Entry point of a worker VM: load the environment, check it, mount the shared folder (or, with a
# bucket, prepare a local scratch folder), start a worker.
# Run with --help for usage. ShellCheck-clean; `scripts/check-deploy.sh` keeps it so.
set -euo pipefail

readonly SCRIPT_PATH="${BASH_SOURCE[0]}"
SCRIPT_DIR="$(cd "$(dirname "$SCRIPT_PATH")" && pwd)"
readonly SCRIPT_DIR
readonly PROBE_TIMEOUT="${CCT_PROBE_TIMEOUT:-5}"

usage() {
  cat <<'EOF'
Usage: process_files.sh [--check] [--no-docker] [--env-file FILE]

Starts one Cloud Conversion Tool worker on this machine, after checking that it can reach the
database, Redis and the files: the shared file folder, or with CCT_STORAGE_BACKEND=s3 the bucket's
server (and a local scratch folder; nothing is shared with other hosts then).

  --check           validate the environment and the connections, start nothing
  --no-docker       run `java -jar $CCT_WORKER_JAR` in the foreground instead of
                    `docker compose -f compose.worker.yaml up -d`
  --env-file FILE   read settings from FILE (default: $CCT_ENV_FILE, else /etc/cct/worker.env
                    when it exists); variables already set in the environment win over the file
  -h, --help        this text

Required:
  SPRING_DATASOURCE_URL        jdbc:postgresql://HOST:5432/cct
  SPRING_DATASOURCE_USERNAME   database user
  SPRING_DATASOURCE_PASSWORD   database password
  CCT_REDIS_URL                redis://[:PASSWORD@]HOST:6379 (rediss:// for TLS)
  CCT_HOST_STORAGE             shared folder on this host (docker mode; mounted at CCT_STORAGE_ROOT,
                               default /data, in the container). In --no-docker mode the worker uses
                               CCT_STORAGE_ROOT directly. Either one stands for the other when alone.
                               With CCT_STORAGE_BACKEND=s3: not needed (default /var/lib/cct/data, local).
  with CCT_STORAGE_BACKEND=s3:
  CCT_S3_BUCKET                the bucket (it must exist)
  CCT_S3_ENDPOINT              the server's URL, e.g. https://storage.googleapis.com; empty: AWS S3
  CCT_S3_REGION, CCT_S3_PATH_STYLE, CCT_S3_ACCESS_KEY, CCT_S3_SECRET_KEY   (keys: both or neither;
                               neither: the SDK's default chain, e.g. an EC2 instance profile)
Optional:
  CCT_STORAGE_BACKEND              folder (default: the shared folder) or s3 (a bucket)
  CCT_HOST_SCRATCH                 this host's scratch folder (docker mode, default /var/lib/cct/scratch;
                                   --no-docker: CCT_SCRATCH_DIR), created and given to CCT_WORKER_UID
  CCT_NFS_SERVER, CCT_NFS_EXPORT   mount SERVER:EXPORT on the shared folder first (needs root, nfs-common)
  CCT_NFS_OPTIONS                  mount options (default rw,hard,noatime,timeo=600,retrans=3)
  CCT_WORKER_UID, CCT_WORKER_GID   the container's user, must be able to write the share (default 10001)
  CCT_WORKER_COUNT, CCT_MAX_JOB_DURATION, CCT_DRAIN_TIMEOUT, CCT_RETENTION, CCT_PUBLIC_URL
  SPRING_MAIL_HOST, SPRING_MAIL_PORT, SPRING_MAIL_USERNAME, SPRING_MAIL_PASSWORD, CCT_MAIL_FROM
  CCT_WORKER_IMAGE                 image for compose.worker.yaml (default cct-worker:latest, built here)
  CCT_WORKER_JAR                   jar for --no-docker (default /opt/cct/app-worker.jar)
  JAVA_OPTS                        extra JVM options for --no-docker (after app-worker/jvm.options)
  CCT_COMPOSE_FILE                 default: compose.worker.yaml next to this script

Exit status: 0 when every check passed (and the worker was started), 1 otherwise, 2 on bad usage.
EOF
}

# --- small helpers ----------------------------------------------------------------------------

failures=0
ok() { printf 'ok    %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*"; failures=$((failures + 1)); }
note() { printf '      %s\n' "$*"; }
die() { printf 'process_files.sh: %s\n' "$*" >&2; exit 1; }

have() { command -v "$1" > /dev/null 2>&1; }

# Percent-decoding for credentials taken from URLs.
urldecode() { local s="${1//+/ }"; printf '%b' "${s//%/\\x}"; }

# The probes below run as a child of `timeout`, so an unanswered SYN cannot hang the script.
probe_tcp() { # HOST PORT
  exec 3<> "/dev/tcp/$1/$2"
}

# RESP framing; \044 is "$" (kept out of the format so it is not mistaken for an expansion).
probe_redis() { # HOST PORT USER PASSWORD
  local reply
  exec 3<> "/dev/tcp/$1/$2"
  if [[ -n "$4" ]]; then
    if [[ -n "$3" ]]; then
      printf '*3\r\n\0444\r\nAUTH\r\n\044%d\r\n%s\r\n\044%d\r\n%s\r\n' "${#3}" "$3" "${#4}" "$4" >&3
    else
      printf '*2\r\n\0444\r\nAUTH\r\n\044%d\r\n%s\r\n' "${#4}" "$4" >&3
    fi
    IFS= read -r reply <&3
    reply="${reply%$'\r'}"
    [[ "$reply" == "+OK" ]] || { printf '%s\n' "$reply"; exit 3; }
  fi
  printf '*1\r\n\0444\r\nPING\r\n' >&3
  IFS= read -r reply <&3
  reply="${reply%$'\r'}"
  [[ "$reply" == "+PONG" ]] || { printf '%s\n' "${reply:-no answer}"; exit 4; }
}

run_probe() { # NAME ARGS... -> the probe's exit status, its output on stdout
  timeout "$PROBE_TIMEOUT" bash "$SCRIPT_PATH" __probe "$@" 2>&1
}

# Internal re-entry point for run_probe.
if [[ "${1:-}" == "__probe" ]]; then
  shift
  case "$1" in
    tcp) probe_tcp "$2" "$3" ;;
    redis) probe_redis "$2" "$3" "$4" "$5" ;;
    *) exit 2 ;;
  esac
  exit 0
fi

# --- arguments --------------------------------------------------------------------------------

check_only=false
use_docker=true
env_file="${CCT_ENV_FILE:-}"
env_file_explicit=false
[[ -n "$env_file" ]] && env_file_explicit=true

while [[ $# -gt 0 ]]; do
  case "$1" in
    --check) check_only=true ;;
    --no-docker) use_docker=false ;;
    --env-file)
      [[ $# -ge 2 ]] || { usage >&2; exit 2; }
      env_file="$2"; env_file_explicit=true; shift ;;
    --env-file=*) env_file="${1#*=}"; env_file_explicit=true ;;
    -h|--help) usage; exit 0 ;;
    *) printf 'process_files.sh: unknown option: %s\n\n' "$1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

# --- environment ------------------------------------------------------------------------------

# KEY=VALUE lines (the docker --env-file format: no shell expansion, optional surrounding quotes,
# # comments). A variable already in the environment is kept, so one-off overrides work.
load_env_file() {
  local file="$1" line key value n=0 loaded=0
  while IFS= read -r line || [[ -n "$line" ]]; do
    n=$((n + 1))
    line="${line%$'\r'}"
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    line="${line#export }"
    if [[ ! "$line" =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]]; then
      die "$file:$n: expected KEY=VALUE, got: $line"
    fi
    key="${BASH_REMATCH[1]}"
    value="${BASH_REMATCH[2]}"
    if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then
      value="${BASH_REMATCH[1]}"
    fi
    if [[ -z "${!key+set}" ]]; then
      export "$key=$value"
      loaded=$((loaded + 1))
    fi
  done < "$file"
  ok "environment file $file ($loaded variables loaded)"
  if [[ "$(stat -c '%a' "$file")" =~ [1-7]$ ]]; then
    note "warning: $file is readable by every user and holds passwords: chmod 600 $file"
  fi
}

if [[ -z "$env_file" && -f /etc/cct/worker.env ]]; then
  env_file=/etc/cct/worker.env
fi
if [[ -n "$env_file" ]]; then
  if [[ -f "$env_file" && -r "$env_file" ]]; then
    load_env_file "$env_file"
  elif $env_file_explicit; then
    die "environment file $env_file does not exist or is not readable"
  fi
else
  ok "no environment file (/etc/cct/worker.env absent): using the process environment"
fi

# Spring turns mail on for any SPRING_MAIL_HOST, even an empty one: empty means off here.
if [[ -z "${SPRING_MAIL_HOST:-}" ]]; then unset SPRING_MAIL_HOST; fi

# Where the files live. With a bucket the worker needs no shared folder: the one compose.worker.yaml
# mounts is then a local folder it keeps nothing in.
backend="${CCT_STORAGE_BACKEND:-folder}"
export CCT_STORAGE_BACKEND="$backend"
if [[ "$backend" == s3 ]]; then
  if $use_docker; then
    : "${CCT_HOST_STORAGE:=/var/lib/cct/data}"
    export CCT_HOST_STORAGE
  else
    : "${CCT_STORAGE_ROOT:=/var/lib/cct/data}"
    export CCT_STORAGE_ROOT
  fi
fi
# This host's own scratch folder (conversions in progress with a bucket).
if $use_docker; then
  scratch_dir="${CCT_HOST_SCRATCH:-/var/lib/cct/scratch}"
  export CCT_HOST_SCRATCH="$scratch_dir"
else
  scratch_dir="${CCT_SCRATCH_DIR:-/var/lib/cct/scratch}"
  export CCT_SCRATCH_DIR="$scratch_dir"
fi

# The shared folder on this host, and the path the worker sees.
if $use_docker; then
  shared_dir="${CCT_HOST_STORAGE:-${CCT_STORAGE_ROOT:-}}"
  [[ -n "$shared_dir" ]] && export CCT_HOST_STORAGE="$shared_dir"
else
  shared_dir="${CCT_STORAGE_ROOT:-${CCT_HOST_STORAGE:-}}"
  [[ -n "$shared_dir" ]] && export CCT_STORAGE_ROOT="$shared_dir"
fi

missing=()
for var in SPRING_DATASOURCE_URL SPRING_DATASOURCE_USERNAME SPRING_DATASOURCE_PASSWORD CCT_REDIS_URL; do
  [[ -n "${!var:-}" ]] || missing+=("$var")
done
if [[ -z "$shared_dir" ]]; then
  if $use_docker; then missing+=("CCT_HOST_STORAGE"); else missing+=("CCT_STORAGE_ROOT"); fi
fi
if [[ -n "${CCT_NFS_SERVER:-}" && -z "${CCT_NFS_EXPORT:-}" ]]; then
  missing+=("CCT_NFS_EXPORT (CCT_NFS_SERVER is set)")
fi
if [[ "$backend" == s3 && -z "${CCT_S3_BUCKET:-}" ]]; then
  missing+=("CCT_S3_BUCKET (CCT_STORAGE_BACKEND is s3)")
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  fail "required variables not set: ${missing[*]}"
  note "set them in ${env_file:-/etc/cct/worker.env} or the environment; see process_files.sh --help"
  exit 1
fi

bad=()
[[ "$SPRING_DATASOURCE_URL" =~ ^jdbc:postgresql:// ]] || bad+=("SPRING_DATASOURCE_URL must start with jdbc:postgresql://")
[[ "$CCT_REDIS_URL" =~ ^rediss?:// ]] || bad+=("CCT_REDIS_URL must start with redis:// or rediss://")
[[ "$shared_dir" == /* ]] || bad+=("the shared folder must be an absolute path, got $shared_dir")
[[ "$scratch_dir" == /* ]] || bad+=("the scratch folder must be an absolute path, got $scratch_dir")
case "$backend" in
  folder) ;;
  s3)
    if [[ -n "${CCT_NFS_SERVER:-}" ]]; then
      bad+=("CCT_NFS_SERVER is set but CCT_STORAGE_BACKEND is s3: the files are in the bucket, nothing is mounted")
    fi
    if [[ -n "${CCT_S3_ACCESS_KEY:-}" && -z "${CCT_S3_SECRET_KEY:-}" || -z "${CCT_S3_ACCESS_KEY:-}" && -n "${CCT_S3_SECRET_KEY:-}" ]]; then
      bad+=("CCT_S3_ACCESS_KEY and CCT_S3_SECRET_KEY go together (or neither: the SDK's default credentials)")
    fi
    if [[ -n "${CCT_S3_ENDPOINT:-}" && ! "$CCT_S3_ENDPOINT" =~ ^https?://[^/:]+(:[0-9]+)?/?$ ]]; then
      bad+=("CCT_S3_ENDPOINT must be http(s)://HOST[:PORT], got $CCT_S3_ENDPOINT")
    fi
    if [[ -n "${CCT_S3_PATH_STYLE:-}" && ! "$CCT_S3_PATH_STYLE" =~ ^(true|false)$ ]]; then
      bad+=("CCT_S3_PATH_STYLE must be true or false, got $CCT_S3_PATH_STYLE")
    fi
    ;;
  *) bad+=("CCT_STORAGE_BACKEND must be folder or s3, got $backend") ;;
esac
for var in CCT_WORKER_COUNT SPRING_MAIL_PORT CCT_WORKER_UID CCT_WORKER_GID; do
  if [[ -n "${!var:-}" && ! "${!var}" =~ ^[0-9]+$ ]]; then bad+=("$var must be a number, got ${!var}"); fi
done
if [[ "${CCT_WORKER_COUNT:-1}" == 0 ]]; then bad+=("CCT_WORKER_COUNT must be at least 1"); fi
if [[ ${#bad[@]} -gt 0 ]]; then
  for b in "${bad[@]}"; do fail "$b"; done
  exit 1
fi
ok "required variables set"

# --- database ---------------------------------------------------------------------------------

# jdbc:postgresql://host[:port][,host2...]/db?params -> the first host.
db_rest="${SPRING_DATASOURCE_URL#jdbc:postgresql://}"
db_hosts="${db_rest%%/*}"
db_hosts="${db_hosts%%\?*}"
db_first="${db_hosts%%,*}"
db_name="${db_rest#*/}"
[[ "$db_rest" == */* ]] || db_name=postgres
db_name="${db_name%%\?*}"
if [[ "$db_first" =~ ^\[(.*)\](:([0-9]+))?$ ]]; then
  db_host="${BASH_REMATCH[1]}"; db_port="${BASH_REMATCH[3]:-5432}"
elif [[ "$db_first" =~ ^([^:]+):([0-9]+)$ ]]; then
  db_host="${BASH_REMATCH[1]}"; db_port="${BASH_REMATCH[2]}"
else
  db_host="$db_first"; db_port=5432
fi

check_database() {
  local out
  if have pg_isready; then
    if ! out="$(pg_isready -h "$db_host" -p "$db_port" -d "$db_name" -t "$PROBE_TIMEOUT" 2>&1)"; then
      fail "database $db_host:$db_port is not accepting connections ($out)"
      return
    fi
  elif ! run_probe tcp "$db_host" "$db_port" > /dev/null; then
    fail "database $db_host:$db_port unreachable (no TCP connection within ${PROBE_TIMEOUT}s)"
    return
  fi
  if have psql; then
    if ! out="$(PGPASSWORD="$SPRING_DATASOURCE_PASSWORD" PGCONNECT_TIMEOUT="$PROBE_TIMEOUT" \
        psql -h "$db_host" -p "$db_port" -U "$SPRING_DATASOURCE_USERNAME" -d "$db_name" \
        -X -A -t -q -c 'select 1' 2>&1)"; then
      fail "database $db_host:$db_port/$db_name rejected user $SPRING_DATASOURCE_USERNAME: ${out%%$'\n'*}"
      return
    fi
    ok "database $db_host:$db_port/$db_name reachable, login as $SPRING_DATASOURCE_USERNAME works"
  else
    ok "database $db_host:$db_port reachable (psql absent: credentials not tried)"
  fi
}

# --- redis ------------------------------------------------------------------------------------

check_redis() {
  local rest auth="" user="" pass="" hostport host port out
  rest="${CCT_REDIS_URL#*://}"
  rest="${rest%%/*}"
  rest="${rest%%\?*}"
  if [[ "$rest" == *@* ]]; then
    auth="${rest%@*}"
    rest="${rest##*@}"
    if [[ "$auth" == *:* ]]; then
      user="$(urldecode "${auth%%:*}")"; pass="$(urldecode "${auth#*:}")"
    else
      pass="$(urldecode "$auth")"
    fi
  fi
  hostport="$rest"
  if [[ "$hostport" =~ ^\[(.*)\](:([0-9]+))?$ ]]; then
    host="${BASH_REMATCH[1]}"; port="${BASH_REMATCH[3]:-6379}"
  elif [[ "$hostport" =~ ^([^:]+):([0-9]+)$ ]]; then
    host="${BASH_REMATCH[1]}"; port="${BASH_REMATCH[2]}"
  else
    host="$hostport"; port=6379
  fi
  if [[ "$CCT_REDIS_URL" == rediss://* ]]; then
    if run_probe tcp "$host" "$port" > /dev/null; then
      ok "redis $host:$port reachable (TLS: PING not tried)"
    else
      fail "redis $host:$port unreachable (no TCP connection within ${PROBE_TIMEOUT}s)"
    fi
    return
  fi
  if out="$(run_probe redis "$host" "$port" "$user" "$pass")"; then
    ok "redis $host:$port answers PING"
  else
    case $? in
      3) fail "redis $host:$port refused the credentials in CCT_REDIS_URL: $out" ;;
      4) fail "redis $host:$port did not answer PING with PONG: $out" ;;
      *) fail "redis $host:$port unreachable (no answer within ${PROBE_TIMEOUT}s)" ;;
    esac
  fi
}

# --- shared folder ----------------------------------------------------------------------------

worker_uid="${CCT_WORKER_UID:-10001}"
worker_gid="${CCT_WORKER_GID:-10001}"

mount_nfs() {
  local source="${CCT_NFS_SERVER}:${CCT_NFS_EXPORT}" options="${CCT_NFS_OPTIONS:-rw,hard,noatime,timeo=600,retrans=3}"
  if mountpoint -q "$shared_dir" 2> /dev/null; then
    ok "shared folder $shared_dir already mounted ($(findmnt -n -o SOURCE --target "$shared_dir" 2> /dev/null || echo "?"))"
    return 0
  fi
  if ! run_probe tcp "$CCT_NFS_SERVER" 2049 > /dev/null; then
    fail "NFS server $CCT_NFS_SERVER:2049 unreachable"
    return 1
  fi
  if $check_only; then
    ok "NFS server $CCT_NFS_SERVER reachable; $source will be mounted on $shared_dir at start"
    return 1
  fi
  if [[ $EUID -ne 0 ]]; then
    fail "mounting $source needs root (run with sudo, or mount it beforehand)"
    return 1
  fi
  if ! have mount.nfs; then
    fail "mount.nfs missing: apt-get install -y nfs-common"
    return 1
  fi
  mkdir -p "$shared_dir"
  if mount -t nfs -o "$options" "$source" "$shared_dir"; then
    ok "mounted $source on $shared_dir"
  else
    fail "could not mount $source on $shared_dir"
    return 1
  fi
}

check_shared_dir() { # [DIR LABEL]: default the shared folder
  local dir="${1:-$shared_dir}" label="${2:-shared folder}"
  local probe="$dir/.cct-write-check.$$" as="" free
  if [[ ! -d "$dir" ]]; then
    fail "$label $dir does not exist"
    return
  fi
  # The container runs as CCT_WORKER_UID: when root starts it, test the share as that user
  # (root may be squashed on NFS, or may write where the worker cannot).
  if $use_docker && [[ $EUID -eq 0 ]] && have setpriv; then
    as="uid $worker_uid"
    local as_worker=(setpriv --reuid="$worker_uid" --regid="$worker_gid" --clear-groups)
    if "${as_worker[@]}" touch "$probe" 2> /dev/null && "${as_worker[@]}" rm -f "$probe" 2> /dev/null; then
      :
    else
      fail "$label $dir is not writable by uid $worker_uid (the worker container's user): chown $worker_uid:$worker_gid $dir"
      return
    fi
  else
    as="$(id -un)"
    if ! { echo ok > "$probe" && rm -f "$probe"; } 2> /dev/null; then
      fail "$label $dir is not writable by $as"
      return
    fi
  fi
  free="$(df -Ph "$dir" 2> /dev/null | awk 'NR == 2 { print $4 }')"
  ok "$label $dir writable as $as (${free:-?} free)"
}

# A local folder of this host's (the scratch folder; with a bucket, the unshared data folder too):
# created and handed to the worker's user at start, only checked with --check.
prepare_local_dir() { # DIR LABEL
  if ! $check_only && [[ ! -d "$1" ]]; then
    mkdir -p "$1" || { fail "cannot create $2 $1"; return; }
    if $use_docker && [[ $EUID -eq 0 ]]; then chown "$worker_uid:$worker_gid" "$1"; fi
  fi
  if $check_only && [[ ! -d "$1" ]]; then
    ok "$2 $1 will be created at start"
    return
  fi
  check_shared_dir "$1" "$2"
}

# --- bucket -----------------------------------------------------------------------------------

check_bucket() {
  local rest host port
  if [[ -z "${CCT_S3_ENDPOINT:-}" ]]; then
    ok "bucket ${CCT_S3_BUCKET} on AWS S3 (region ${CCT_S3_REGION:-us-east-1}; endpoint not probed)"
    return
  fi
  rest="${CCT_S3_ENDPOINT#*://}"
  rest="${rest%/}"
  host="${rest%%:*}"
  if [[ "$rest" == *:* ]]; then
    port="${rest##*:}"
  elif [[ "$CCT_S3_ENDPOINT" == https://* ]]; then
    port=443
  else
    port=80
  fi
  if run_probe tcp "$host" "$port" > /dev/null; then
    ok "bucket ${CCT_S3_BUCKET} at $CCT_S3_ENDPOINT: $host:$port reachable (credentials are the worker's to try)"
  else
    fail "S3 endpoint $host:$port unreachable (no TCP connection within ${PROBE_TIMEOUT}s; CCT_S3_ENDPOINT=$CCT_S3_ENDPOINT)"
  fi
}

# --- how the worker runs ----------------------------------------------------------------------

compose_cmd=()
compose_file="${CCT_COMPOSE_FILE:-$SCRIPT_DIR/compose.worker.yaml}"
worker_jar="${CCT_WORKER_JAR:-/opt/cct/app-worker.jar}"

check_runtime() {
  if $use_docker; then
    if ! have docker; then
      fail "docker is not installed (or use --no-docker with CCT_WORKER_JAR)"
      return
    fi
    if ! docker info > /dev/null 2>&1; then
      fail "the Docker engine is not reachable (is the docker service running? are you in the docker group?)"
      return
    fi
    if docker compose version > /dev/null 2>&1; then
      compose_cmd=(docker compose)
    elif have docker-compose; then
      compose_cmd=(docker-compose)
    else
      fail "neither 'docker compose' nor 'docker-compose' is installed"
      return
    fi
    if [[ ! -f "$compose_file" ]]; then
      fail "compose file $compose_file not found (set CCT_COMPOSE_FILE)"
      return
    fi
    ok "docker with ${compose_cmd[*]}, $compose_file"
  else
    local ffmpeg="${CCT_FFMPEG_PATH:-ffmpeg}" problems=()
    have java || problems+=("java not on PATH (install a JRE 17+)")
    [[ -f "$worker_jar" ]] || problems+=("worker jar $worker_jar not found (set CCT_WORKER_JAR)")
    have "$ffmpeg" || problems+=("ffmpeg not found ($ffmpeg; set CCT_FFMPEG_PATH or apt-get install -y ffmpeg)")
    if [[ ${#problems[@]} -gt 0 ]]; then
      local p
      for p in "${problems[@]}"; do fail "$p"; done
      return
    fi
    ok "java, $worker_jar and $ffmpeg present"
  fi
}

# --- run --------------------------------------------------------------------------------------

check_database
check_redis
if [[ "$backend" == s3 ]]; then
  check_bucket
  prepare_local_dir "$shared_dir" "local data folder"
elif [[ -n "${CCT_NFS_SERVER:-}" ]]; then
  if mount_nfs; then check_shared_dir; else note "shared folder not checked: not mounted yet"; fi
else
  check_shared_dir
fi
prepare_local_dir "$scratch_dir" "scratch folder"
check_runtime

if [[ $failures -gt 0 ]]; then
  printf '%d check(s) failed: the worker was not started.\n' "$failures"
  exit 1
fi

if $check_only; then
  echo "all checks passed (--check: nothing started)"
  exit 0
fi

if $use_docker; then
  echo "starting the worker: ${compose_cmd[*]} -f $compose_file up -d"
  "${compose_cmd[@]}" -f "$compose_file" up -d
  echo "follow it with: ${compose_cmd[*]} -f $compose_file logs -f worker"
else
  java_opts=()
  # the worker's own JVM options (C1 only, serial GC, heap share) when this script sits in a checkout
  jvm_options="$(dirname "${BASH_SOURCE[0]}")/app-worker/jvm.options"
  [[ -f "$jvm_options" ]] && java_opts+=("@$jvm_options")
  read -r -a extra_opts <<< "${JAVA_OPTS:-}"
  java_opts+=("${extra_opts[@]}")
  echo "starting the worker: java ${java_opts[*]} -jar $worker_jar"
  exec java "${java_opts[@]}" -jar "$worker_jar"
fi
