#!/usr/bin/env bash
# Static checks of the deployment files: compose files, nginx config, Terraform, shell scripts,
# Dockerfiles. The build machines have no Docker engine and no cloud access, so nothing is started
# or applied here; what can be checked without them is.
# Installs what it lacks with apt-get (docker-compose, nginx, shellcheck, envsubst); expects terraform on PATH.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

passed=0
failed=0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# run NAME COMMAND...: one line per check; the command's output only when it fails.
run() {
  local name="$1"; shift
  if "$@" > "$work/out" 2>&1; then
    printf 'PASS  %s\n' "$name"
    passed=$((passed + 1))
  else
    printf 'FAIL  %s\n' "$name"
    sed 's/^/      /' "$work/out" | tail -n 40
    failed=$((failed + 1))
  fi
}

# --- tools ------------------------------------------------------------------------------------

missing_pkgs=()
command -v docker-compose > /dev/null 2>&1 || missing_pkgs+=(docker-compose)
command -v nginx > /dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing_pkgs+=(nginx)
command -v shellcheck > /dev/null 2>&1 || missing_pkgs+=(shellcheck)
command -v envsubst > /dev/null 2>&1 || missing_pkgs+=(gettext-base)
if [[ ${#missing_pkgs[@]} -gt 0 ]]; then
  echo "installing ${missing_pkgs[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing_pkgs[@]}" > /dev/null
fi
PATH="$PATH:/usr/sbin:/usr/local/bin"
if ! command -v terraform > /dev/null 2>&1; then
  echo "terraform not found (expected /usr/local/bin/terraform on the build machines)." >&2
  echo "Install it from HashiCorp's releases; it cannot come from apt here." >&2
  exit 1
fi
# Quiet terraform's complaint about a missing CLI config file, which changes nothing here.
if [[ -n "${TF_CLI_CONFIG_FILE:-}" && ! -f "$TF_CLI_CONFIG_FILE" ]]; then
  unset TF_CLI_CONFIG_FILE
fi

# --- compose ----------------------------------------------------------------------------------

# Dummy values for the variables compose.worker.yaml insists on (${VAR:?...}).
worker_env=(
  SPRING_DATASOURCE_URL=jdbc:postgresql://10.0.0.5:5432/cct
  SPRING_DATASOURCE_PASSWORD=check
  CCT_REDIS_URL=redis://10.0.0.6:6379
  CCT_HOST_STORAGE=/mnt/cct-files
)

# compose.yaml ships no secret: the two it needs must come from .env (${VAR:?...}).
compose_env=(
  CCT_JWT_SECRET=check-0123456789abcdef0123456789abcdef
  CCT_DASHBOARD_PASSWORD=check-dashboard
)

run "compose.yaml: docker-compose config" env "${compose_env[@]}" docker-compose -f compose.yaml config -q
run "compose.yaml: refuses to run without CCT_JWT_SECRET and CCT_DASHBOARD_PASSWORD" \
  bash -c '! env -u CCT_JWT_SECRET -u CCT_DASHBOARD_PASSWORD docker-compose -f compose.yaml config -q'
run "compose.yaml + compose.s3.yaml: docker-compose config" \
  env "${compose_env[@]}" CCT_S3_SECRET_KEY=check-minio-secret docker-compose -f compose.yaml -f compose.s3.yaml config -q
run "compose.s3.yaml: refuses to run without CCT_S3_SECRET_KEY" \
  bash -c '! env -u CCT_S3_SECRET_KEY CCT_JWT_SECRET=check-0123456789abcdef0123456789abcdef CCT_DASHBOARD_PASSWORD=check-dashboard docker-compose -f compose.yaml -f compose.s3.yaml config -q'
run "compose.worker.yaml: docker-compose config" env "${worker_env[@]}" docker-compose -f compose.worker.yaml config -q
run "compose.worker.yaml: refuses to run without its required variables" \
  bash -c '! env -u SPRING_DATASOURCE_URL docker-compose -f compose.worker.yaml config -q'

# Compose v2 compatibility and `--scale worker=N`, read from the files themselves.
compose_rules() {
  python3 - "$@" <<'PY'
import sys, yaml
problems = []
for path in sys.argv[1:]:
    doc = yaml.safe_load(open(path))
    for key in ("name", "include", "develop"):
        if key in doc:
            problems.append(f"{path}: top-level '{key}' (docker-compose 1.29 rejects it)")
    for svc, spec in doc["services"].items():
        if "develop" in spec:
            problems.append(f"{path}: service {svc} uses 'develop'")
compose = yaml.safe_load(open("compose.yaml"))
services = compose["services"]
for svc in ("nginx", "app", "worker", "postgres", "redis", "mailpit"):
    if svc not in services:
        problems.append(f"compose.yaml: no '{svc}' service")
worker = services.get("worker", {})
for key in ("container_name", "ports"):
    if key in worker:
        problems.append(f"compose.yaml: worker has '{key}', so --scale worker=N cannot work")
app_vols = [str(v) for v in services.get("app", {}).get("volumes", [])]
worker_vols = [str(v) for v in worker.get("volumes", [])]
if not any(v in worker_vols for v in app_vols if v.startswith("files:")):
    problems.append("compose.yaml: app and worker do not mount the same 'files' volume at the same path")
nginx_ports = [str(p) for p in services.get("nginx", {}).get("ports", [])]
if not any(p.endswith(":8000") for p in nginx_ports):
    problems.append("compose.yaml: nginx is not published on 8000")
nginx = services.get("nginx", {})
app_limit = services.get("app", {}).get("environment", {}).get("CCT_MAX_UPLOAD_SIZE")
if nginx.get("environment", {}).get("CCT_MAX_UPLOAD_SIZE") != app_limit:
    problems.append("compose.yaml: nginx does not get the app's CCT_MAX_UPLOAD_SIZE")
nginx_vols = [str(v) for v in nginx.get("volumes", [])]
for mount in ("./nginx/15-cct-body-limit.envsh:/docker-entrypoint.d/15-cct-body-limit.envsh",
              "./nginx/templates:/etc/nginx/templates"):
    if not any(v.startswith(mount) for v in nginx_vols):
        problems.append(f"compose.yaml: nginx does not mount {mount}")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
}
run "compose files: Compose v2 compatible, worker scalable, shared files volume, nginx gets the upload limit" \
  compose_rules compose.yaml compose.worker.yaml

# The storage backends as rendered: the folder by default; with compose.s3.yaml, MinIO inside the
# network and workers that share no volume (each its own scratch), so the s3 path is really taken.
compose_storage() {
  env -u CCT_STORAGE_BACKEND "${compose_env[@]}" docker-compose -f compose.yaml config > "$work/compose-folder.yaml" || return 1
  env -u CCT_STORAGE_BACKEND -u CCT_S3_ENDPOINT "${compose_env[@]}" CCT_S3_SECRET_KEY=check-minio-secret \
    docker-compose -f compose.yaml -f compose.s3.yaml config > "$work/compose-s3.yaml" || return 1
  python3 - "$work/compose-folder.yaml" "$work/compose-s3.yaml" <<'PY'
import sys, yaml
problems = []
folder = yaml.safe_load(open(sys.argv[1]))["services"]
s3 = yaml.safe_load(open(sys.argv[2]))["services"]
for svc in ("app", "worker"):
    if folder[svc]["environment"].get("CCT_STORAGE_BACKEND") != "folder":
        problems.append(f"compose.yaml: {svc} does not default to CCT_STORAGE_BACKEND=folder")
    env = s3[svc]["environment"]
    expected = {"CCT_STORAGE_BACKEND": "s3", "CCT_S3_ENDPOINT": "http://minio:9000", "CCT_S3_PATH_STYLE": "true"}
    for key, value in expected.items():
        if str(env.get(key)) != value:
            problems.append(f"compose.s3.yaml: {svc} has {key}={env.get(key)!r}, expected {value!r}")
    for key in ("CCT_S3_BUCKET", "CCT_S3_ACCESS_KEY", "CCT_S3_SECRET_KEY"):
        if not env.get(key):
            problems.append(f"compose.s3.yaml: {svc} gets no {key}")
    if s3[svc].get("depends_on", {}).get("minio-bucket", {}).get("condition") != "service_completed_successfully":
        problems.append(f"compose.s3.yaml: {svc} does not wait for the bucket to exist")
if "minio" not in s3 or "minio-bucket" not in s3:
    problems.append("compose.s3.yaml: no minio / minio-bucket service")
elif s3["minio"].get("ports"):
    problems.append("compose.s3.yaml: MinIO is published on the host")
worker_vols = [str(v.get("source", "")) + ":" + str(v.get("target", "")) if isinstance(v, dict) else str(v)
               for v in s3["worker"].get("volumes", [])]
if any(v.startswith("files:") for v in worker_vols):
    problems.append(f"compose.s3.yaml: the workers still mount the shared files volume ({worker_vols})")
if not str(s3["worker"]["environment"].get("CCT_SCRATCH_DIR", "")).startswith("/data"):
    problems.append("compose.s3.yaml: the workers' CCT_SCRATCH_DIR is not on their own /data volume")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
}
run "compose: folder backend by default; compose.s3.yaml switches app and workers to MinIO, no shared volume" compose_storage

# The per-account limits of README's configuration table reach the processes in every layout.
fair_use() {
  local web_vars worker_vars var file
  web_vars="$(grep -oE "^\| \`CCT_USER_[A-Z_]+\` \| web " README.md | grep -oE 'CCT_USER_[A-Z_]+')"
  worker_vars="$(grep -oE "^\| \`CCT_USER_[A-Z_]+\` \| worker " README.md | grep -oE 'CCT_USER_[A-Z_]+')"
  [[ -n "$web_vars" && -n "$worker_vars" ]] || { echo "README's configuration table lists no CCT_USER_* variables"; return 1; }
  env "${compose_env[@]}" CCT_USER_STREAMS=7 docker-compose -f compose.yaml config > "$work/compose-fair.yaml" || return 1
  python3 - "$work/compose-fair.yaml" "$web_vars" "$worker_vars" <<'PY' || return 1
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
problems = [f"compose.yaml: app does not pass {v}" for v in sys.argv[2].split() if v not in services["app"]["environment"]]
problems += [f"compose.yaml: worker does not pass {v}" for v in sys.argv[3].split() if v not in services["worker"]["environment"]]
if str(services["app"]["environment"].get("CCT_USER_STREAMS")) != "7":
    problems.append("compose.yaml: CCT_USER_STREAMS from .env does not reach the app")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
  for var in $web_vars; do
    for file in terraform/gcp/web/startup.sh.tftpl terraform/aws/user-data.sh.tftpl; do
      grep -q "^$var=" "$file" || { echo "$file does not set $var"; return 1; }
    done
  done
  for var in $worker_vars; do
    for file in terraform/gcp/worker/startup.sh.tftpl terraform/aws/user-data.sh.tftpl compose.worker.yaml; do
      grep -qE "^[[:space:]]*${var}[=:]" "$file" || { echo "$file does not set $var"; return 1; }
    done
  done
}
run "fair-use limits (README's CCT_USER_*) pass through compose, terraform/gcp and terraform/aws" fair_use

# What an outsider can reach or read with the defaults: the rendered config, no variables of ours set.
compose_exposure() {
  env -u CCT_DASHBOARD_BIND -u CCT_MAIL_UI_BIND -u SPRING_PROFILES_ACTIVE "${compose_env[@]}" \
    docker-compose -f compose.yaml config > "$work/compose-rendered.yaml" || return 1
  python3 - "$work/compose-rendered.yaml" <<'PY'
import sys, yaml
problems = []
services = yaml.safe_load(open(sys.argv[1]))["services"]
for svc, spec in services.items():
    for port in spec.get("ports", []):
        if isinstance(port, dict):
            target, host_ip = int(port.get("target")), port.get("host_ip", "")
        else:
            parts = str(port).split("/")[0].split(":")
            target, host_ip = int(parts[-1]), (parts[0] if len(parts) == 3 else "")
        if target in (8001, 8025) and host_ip != "127.0.0.1":
            problems.append(f"{svc}: port {target} is published on {host_ip or 'every interface'} by default")
    profile = str(spec.get("environment", {}).get("SPRING_PROFILES_ACTIVE", ""))
    if "local" in profile.split(","):
        problems.append(f"{svc}: the default profile is local (it tolerates missing secrets)")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
}
run "compose.yaml: dashboard and mail UI on 127.0.0.1 by default, no local profile" compose_exposure

# No sample secret in anything an operator deploys: the app refuses them outside the local profile
# (StartupChecks), and no deployment file may supply them.
no_sample_secrets() {
  local hits
  hits="$(grep -rnE 'dev-only|change-?me' compose.yaml compose.worker.yaml nginx terraform process_files.sh \
    --include='*' 2> /dev/null | grep -v '^terraform/.*\.terraform/' || true)"
  [[ -z "$hits" ]] || { echo "sample secrets in deployment files:"; echo "$hits"; return 1; }
  if grep -nE '^[[:space:]]*(CCT_JWT_SECRET|CCT_DASHBOARD_PASSWORD):[[:space:]]*\$\{[A-Z_]+:-' compose.yaml; then
    echo "compose.yaml gives a secret a default value"; return 1
  fi
}
run "deployment files carry no dev-only or change-me secrets, compose has no secret defaults" no_sample_secrets

aws_admin_cidr() {
  local block
  block="$(awk '/^variable "admin_cidr"/,/^}/' terraform/aws/variables.tf)"
  [[ -n "$block" ]] || { echo "terraform/aws has no admin_cidr variable"; return 1; }
  if grep -q '^[[:space:]]*default[[:space:]]*=' <<< "$block"; then
    echo "terraform/aws: admin_cidr has a default; it must be given explicitly"; return 1
  fi
  grep -q 'cidrhost(var.admin_cidr' <<< "$block" || { echo "admin_cidr is not validated as a CIDR"; return 1; }
  grep -q 'var.allow_public_admin ||' terraform/aws/main.tf || { echo "0.0.0.0/0 is not refused without allow_public_admin"; return 1; }
  if grep -nE 'from_port[[:space:]]*=[[:space:]]*(8001|8025)' terraform/aws/main.tf; then
    echo "terraform/aws opens the dashboard or the mail UI in the security group"; return 1
  fi
}
run "terraform/aws: admin_cidr required (no default), validated, not 0.0.0.0/0 unless allowed; 8001/8025 closed" aws_admin_cidr

gcp_secret_manager() {
  local tier file
  for tier in web worker; do
    file="terraform/gcp/$tier/secrets.tf"
    for resource in google_secret_manager_secret google_secret_manager_secret_version google_secret_manager_secret_iam_member; do
      grep -q "resource \"$resource\"" "$file" || { echo "$file: no $resource"; return 1; }
    done
    grep -q 'roles/secretmanager.secretAccessor' "$file" || { echo "$file: the VMs cannot read the secrets"; return 1; }
    grep -q 'gcloud secrets versions access' "terraform/gcp/$tier/startup.sh.tftpl" ||
      { echo "terraform/gcp/$tier/startup.sh.tftpl does not read Secret Manager"; return 1; }
    # The startup script is instance metadata: no secret may be rendered into it.
    if awk '/templatefile\(/,/\}\)/' "terraform/gcp/$tier/main.tf" | grep -nE '(password|secret|redis_url)[[:space:]]*=[[:space:]]*(var\.|random_password)'; then
      echo "terraform/gcp/$tier/main.tf renders a secret into the instance metadata"; return 1
    fi
  done
}
run "terraform/gcp: secrets in Secret Manager, read by the VMs' service accounts, none in instance metadata" gcp_secret_manager

# The GCS choice: a private bucket with an HMAC key of its own, the key handed over as secrets, and
# neither the share nor the bucket's settings half-applied.
gcp_bucket() {
  local main=terraform/gcp/bucket/main.tf tier rule
  for rule in 'public_access_prevention *= *"enforced"' 'uniform_bucket_level_access *= *true' \
    'resource "google_storage_hmac_key"' 'role *= *"roles/storage.objectUser"'; do
    grep -qE "$rule" "$main" || { echo "$main: no $rule"; return 1; }
  done
  awk '/versioning \{/,/\}/' "$main" | grep -qE 'enabled *= *false' || { echo "$main: versioning is not off"; return 1; }
  if grep -qE 'role *= *"roles/storage\.(admin|objectAdmin)"|google_project_iam_member' "$main"; then
    echo "$main: the HMAC key's account gets more than this bucket's objects"; return 1
  fi
  for tier in web worker; do
    grep -q "\"cct-$tier-s3-secret-key\"" "terraform/gcp/$tier/secrets.tf" || { echo "$tier/secrets.tf: no s3 secret key"; return 1; }
    grep -q "secret cct-$tier-s3-secret-key" "terraform/gcp/$tier/startup.sh.tftpl" || { echo "$tier startup does not read the s3 key"; return 1; }
    grep -q 'CCT_S3_ENDPOINT=https://storage.googleapis.com' "terraform/gcp/$tier/startup.sh.tftpl" || { echo "$tier startup: no GCS endpoint"; return 1; }
    grep -q 'contains(\["nfs", "gcs"\], var.storage_backend)' "terraform/gcp/$tier/variables.tf" || { echo "$tier: storage_backend not validated"; return 1; }
  done
}
run "terraform/gcp/bucket: private bucket, versioning off, HMAC key limited to its objects, key via Secret Manager" gcp_bucket

# Queue-driven autoscaling: the metric the autoscaler reads is the one the worker registers and the
# Ops Agent scrapes; CPU stays as the fallback; the drain fits the shutdown script's wait.
gcp_queue_autoscaling() {
  local main=terraform/gcp/worker/main.tf startup=terraform/gcp/worker/startup.sh.tftpl gauge metric stop drain
  gauge="$(grep -ohE '"cct\.jobs\.waiting\.per\.server"' app-worker/src/main/java/com/cct/conversion/QueueMetrics.java | tr -d '"' | tr . _)"
  [[ -n "$gauge" ]] || { echo "QueueMetrics registers no cct.jobs.waiting.per.server gauge"; return 1; }
  metric="$(sed -n 's/^ *queue_metric *= *"\(.*\)"/\1/p' "$main")"
  [[ "$metric" == "prometheus.googleapis.com/$gauge/gauge" ]] || { echo "autoscaler reads '$metric', the worker exports $gauge"; return 1; }
  awk '/resource "google_compute_region_autoscaler"/,/^}/' "$main" > "$work/autoscaler"
  grep -qE 'single_instance_assignment *= *var.jobs_waiting_per_vm' "$work/autoscaler" || { echo "no per-group queue policy on jobs_waiting_per_vm"; return 1; }
  grep -q 'resource.labels.job = \\"cct-worker\\"' "$work/autoscaler" || { echo "the queue metric's filter does not select job cct-worker"; return 1; }
  grep -qE 'cpu_utilization *\{' "$work/autoscaler" || { echo "the CPU fallback policy is gone"; return 1; }
  if ! grep -q 'job_name: cct-worker' "$startup" || ! grep -q 'metrics_path: /actuator/prometheus' "$startup" ||
    ! grep -q 'targets: \["localhost:9091"\]' "$startup"; then
    echo "$startup: the Ops Agent does not scrape the worker's /actuator/prometheus on 9091"; return 1
  fi
  stop="$(sed -n 's/.*docker stop -t \([0-9]*\).*/\1/p' "$main")"
  drain="$(awk '/variable "drain_timeout"/,/^}/' terraform/gcp/worker/variables.tf | sed -n 's/.*default *= *"\([0-9]*\)s".*/\1/p')"
  [[ -n "$stop" && -n "$drain" && $drain -lt $stop && $stop -le 90 ]] ||
    { echo "drain_timeout ${drain:-?}s must be under the shutdown script's docker stop -t ${stop:-?}, itself at most 90 s"; return 1; }
  awk '/variable "min_workers"/,/^}/' terraform/gcp/worker/variables.tf | grep -q 'var.min_workers >= 1' || { echo "min_workers may be 0 (nobody would report the queue)"; return 1; }
}
run "terraform/gcp/worker: autoscaled on the worker's queue gauge (Ops Agent), CPU fallback, drain within the shutdown wait" gcp_queue_autoscaling

aws_bucket() {
  local tf=terraform/aws/storage.tf rule
  for rule in 'block_public_acls *= *true' 'block_public_policy *= *true' 'ignore_public_acls *= *true' \
    'restrict_public_buckets *= *true' 'sse_algorithm *= *"(AES256|aws:kms)"' 'resource "aws_iam_instance_profile"' \
    'object_ownership *= *"BucketOwnerEnforced"' '"aws:SecureTransport" *= *"false"'; do
    grep -qE "$rule" "$tf" || { echo "$tf: no $rule"; return 1; }
  done
  if grep -qE 'resource "aws_s3_bucket_versioning"|"s3:\*"[^D]*Allow|Action *= *"s3:\*"[^}]*Allow' "$tf"; then
    echo "$tf: versioning on, or a wildcard grant"; return 1
  fi
  grep -q 'iam_instance_profile *= *local.s3' terraform/aws/main.tf || { echo "the VM does not get the instance profile"; return 1; }
  grep -q 'http_put_response_hop_limit *= *2' terraform/aws/main.tf || { echo "containers cannot reach the instance profile (IMDSv2 hop limit)"; return 1; }
}
run "terraform/aws: the S3 option is private (public access blocked, encrypted, TLS only, no versioning), instance profile" aws_bucket

# terraform validate needs the providers, which cannot be downloaded here: at least every var.NAME
# a folder uses is declared there.
tf_variables_declared() {
  local dir used declared name ok=0
  for dir in terraform/aws terraform/gcp/*/; do
    used="$(cat "$dir"/*.tf | grep -oE '\bvar\.[a-z_][a-z0-9_]*' | sort -u | sed 's/^var\.//')"
    declared="$(cat "$dir"/*.tf | sed -n 's/^variable "\([a-z0-9_]*\)".*/\1/p' | sort -u)"
    for name in $(comm -23 <(echo "$used") <(echo "$declared")); do
      echo "${dir%/}: var.$name is used but not declared"; ok=1
    done
  done
  return "$ok"
}
run "terraform: every var.NAME used in a folder is declared there (terraform validate cannot run offline)" tf_variables_declared

# --- nginx ------------------------------------------------------------------------------------

# The container renders part of its config at start (see scripts/render-nginx.sh, which does the
# same into DIR). render_nginx SIZE DIR runs it with busybox sh (the shell of the Alpine image) when
# there is one.
render_nginx() {
  local size="$1" dir="$2" shell=(sh)
  command -v busybox > /dev/null 2>&1 && shell=(busybox sh)
  rm -rf "$dir"
  env CCT_MAX_UPLOAD_SIZE="$size" "${shell[@]}" scripts/render-nginx.sh "$dir"
}

# The config names the compose service "app", which resolves only inside compose. Test the
# rendered config with "app" mapped to 127.0.0.1 in a private mount namespace; where unshare is not
# allowed, test a copy with the upstream host replaced.
nginx_test() {
  local conf="$1"
  cp /etc/hosts "$work/hosts"
  echo "127.0.0.1 app" >> "$work/hosts"
  mkdir -p "$work/nginx-prefix/logs"
  if unshare --mount true 2> /dev/null; then
    cat > "$work/nginx-in-namespace.sh" <<'SH'
mount --bind "$1" /etc/hosts && nginx -e stderr -p "$2" -t -c "$3"
SH
    unshare --mount sh "$work/nginx-in-namespace.sh" "$work/hosts" "$work/nginx-prefix" "$conf"
  else
    sed -i 's/server app:8080/server 127.0.0.1:8080/' "$conf"
    nginx -e stderr -p "$work/nginx-prefix" -t -c "$conf"
  fi
}

# nginx_body_limit SIZE BYTES: rendered for CCT_MAX_UPLOAD_SIZE=SIZE (BYTES for the app, Spring's
# binary units), nginx -t passes and client_max_body_size lets BYTES through.
nginx_body_limit() {
  local size="$1" bytes="$2" dir="$work/nginx-$1" value amount limit
  render_nginx "$size" "$dir" || { echo "rendering failed for CCT_MAX_UPLOAD_SIZE=$size"; return 1; }
  nginx_test "$dir/nginx.conf" || return 1
  value="$(sed -n 's/^[[:space:]]*client_max_body_size[[:space:]]\+\([^;[:space:]]*\);.*/\1/p' "$dir"/conf.d/*.conf)"
  amount="${value%[kKmMgG]}"
  [[ "$amount" =~ ^[0-9]+$ && "$amount" != 0 ]] || { echo "rendered client_max_body_size '${value}' is not a positive size"; return 1; }
  case "$value" in
    *[kK]) limit=$((amount * 1024)) ;;
    *[mM]) limit=$((amount * 1048576)) ;;
    *[gG]) limit=$((amount * 1073741824)) ;;
    *) limit=$amount ;;
  esac
  [[ $limit -ge $bytes ]] || { echo "client_max_body_size $value is below CCT_MAX_UPLOAD_SIZE=$size ($bytes bytes)"; return 1; }
  echo "CCT_MAX_UPLOAD_SIZE=$size -> client_max_body_size $value"
}
# CCT_MAX_UPLOAD_SIZE samples and the bytes the app reads from them.
for sample in 1GB:1073741824 64MB:67108864 2GB:2147483648 1048576:1048576; do
  run "nginx: CCT_MAX_UPLOAD_SIZE=${sample%%:*} renders, nginx -t passes, client_max_body_size >= ${sample#*:} bytes" \
    nginx_body_limit "${sample%%:*}" "${sample#*:}"
done
run "nginx: the default 1GB still gives client_max_body_size 1040m" \
  grep -qx 'client_max_body_size 1040m;' "$work/nginx-1GB/conf.d/cct-body-limit.conf"

nginx_bad_sizes() {
  local size out
  for size in 1.5GB 1gb lots; do
    if out="$(render_nginx "$size" "$work/nginx-bad" 2>&1)"; then
      echo "CCT_MAX_UPLOAD_SIZE=$size rendered: $(cat "$work/nginx-bad"/conf.d/*.conf)"; return 1
    fi
    grep -q "CCT_MAX_UPLOAD_SIZE='$size'" <<< "$out" || { echo "no clear error for $size: $out"; return 1; }
  done
}
run "nginx: an unparsable CCT_MAX_UPLOAD_SIZE (1.5GB, 1gb, lots) fails the start" nginx_bad_sizes

# Behind a load balancer: CCT_NGINX_TRUSTED_PROXIES becomes set_real_ip_from lines; unset, none.
nginx_real_ip() {
  local dir="$work/nginx-real-ip"
  CCT_NGINX_TRUSTED_PROXIES="35.191.0.0/16,130.211.0.0/22 203.0.113.9" render_nginx 1GB "$dir" || return 1
  nginx_test "$dir/nginx.conf" || return 1
  for line in 'set_real_ip_from 35.191.0.0/16;' 'set_real_ip_from 203.0.113.9;' 'real_ip_recursive on;'; do
    grep -qx "$line" "$dir/conf.d/cct-real-ip.conf" || { echo "no '$line' in the rendered cct-real-ip.conf"; return 1; }
  done
  if grep -q "^set_real_ip_from" "$work/nginx-1GB/conf.d/cct-real-ip.conf"; then
    echo "without CCT_NGINX_TRUSTED_PROXIES the config still trusts a proxy"; return 1
  fi
  if CCT_NGINX_TRUSTED_PROXIES='10.0.0.1;evil' render_nginx 1GB "$work/nginx-bad-ip" > /dev/null 2>&1; then
    echo "a malformed CCT_NGINX_TRUSTED_PROXIES rendered"; return 1
  fi
}
run "nginx: CCT_NGINX_TRUSTED_PROXIES renders set_real_ip_from (none by default, malformed refused)" nginx_real_ip

nginx_rules() {
  local conf=nginx/nginx.conf
  if grep -q '^[^#]*client_max_body_size' "$conf" || ! grep -q '^[[:space:]]*include conf.d/cct-body-limit.conf;' "$conf"; then
    echo "$conf must take client_max_body_size from the rendered conf.d/cct-body-limit.conf only"; return 1
  fi
  # The entrypoint skips a .envsh without its exec bit, and nginx then refuses the unrendered limit.
  [[ -x nginx/15-cct-body-limit.envsh ]] || { echo "nginx/15-cct-body-limit.envsh is not executable"; return 1; }
  grep -q 'proxy_request_buffering off' "$conf" || { echo "uploads are buffered (proxy_request_buffering off missing)"; return 1; }
  awk '/location ~ \^\/api\/tasks\/\[\^\/\]\+\/events\$/,/}/' "$conf" > "$work/sse"
  for directive in 'proxy_buffering off' 'proxy_cache off' 'proxy_read_timeout 1h'; do
    grep -q "$directive;" "$work/sse" || { echo "SSE location lacks '$directive'"; return 1; }
  done
  if ! grep -q 'proxy_http_version 1.1' "$conf" || ! grep -q 'proxy_set_header Connection ""' "$conf"; then
    echo "upstream HTTP/1.1 without a Connection header is missing"; return 1
  fi
}
run "nginx/nginx.conf: rendered upload limit included (script executable), unbuffered uploads and SSE" nginx_rules

# Slow clients: every client-side timeout set, and connection/request limits on logins and uploads.
nginx_slow_clients() {
  local conf=nginx/nginx.conf directive
  for directive in client_header_timeout client_body_timeout send_timeout keepalive_timeout keepalive_requests \
    limit_conn_zone limit_req_zone; do
    grep -qE "^[[:space:]]*${directive}[[:space:]]" "$conf" || { echo "$conf: no $directive"; return 1; }
  done
  awk '/location \/api\/auth\/ \{/,/}/' "$conf" > "$work/auth"
  grep -q 'limit_req zone=' "$work/auth" || { echo "/api/auth/ is not rate limited"; return 1; }
  awk '/location = \/api\/tasks \{/,/}/' "$conf" > "$work/tasks"
  if ! grep -q 'limit_conn ' "$work/tasks" || ! grep -q 'limit_req zone=' "$work/tasks"; then
    echo "/api/tasks uploads have no connection or request limit"; return 1
  fi
  if grep -qE 'client_body_timeout[[:space:]]+([0-9]{3,}s|[0-9]+m)' "$conf"; then
    echo "client_body_timeout is minutes long: a trickling client keeps its connection"; return 1
  fi
}
run "nginx/nginx.conf: client timeouts, limit_conn/limit_req on /api/auth/ and uploads" nginx_slow_clients

# --- terraform --------------------------------------------------------------------------------

run "terraform fmt -check -recursive terraform" terraform fmt -check -recursive terraform

# Render every startup script with sample values (no providers needed) and shellcheck the result.
tf_templates() {
  local dir="$work/tf-templates" out
  mkdir -p "$dir"
  cat > "$dir/render.tf" <<EOF
output "aws" {
  value = templatefile("$PWD/terraform/aws/user-data.sh.tftpl", merge(local.aws, { s3_bucket = "" }))
}
output "nfs" {
  value = templatefile("$PWD/terraform/gcp/nfs/startup.sh.tftpl", { client_cidr = "10.128.0.0/9", files_uid = 10001 })
}
locals {
  web    = { repo_url = "u", repo_ref = "main", app_image = "", jdbc_url = "jdbc:postgresql://10.1.0.3:5432/cct", db_user = "cct", project_id = "my-project", lb_ip = "192.0.2.2", dashboard_username = "admin", public_url = "http://192.0.2.2", max_upload_size = "1GB", retention = "7d", user_active_tasks = 10, user_storage_quota = "10GB", user_uploads_per_hour = 200, user_streams = 10 }
  worker = { repo_url = "u", repo_ref = "main", worker_image = "europe-west1-docker.pkg.dev/p/cct/worker:1", jdbc_url = "j", db_user = "cct", project_id = "my-project", nfs_export = "/srv/cct", public_url = "http://192.0.2.2", max_job_duration = "30m", drain_timeout = "75s", threads_per_vm = 4, running_per_user = 1, smtp_host = "smtp.example.com", smtp_port = 587, smtp_username = "u", smtp_secret = "cct-worker-smtp-password", mail_from = "a@example.com" }
  aws    = { repo_url = "https://example.com/cct.git", repo_ref = "main", workers = 2, public_url = "http://192.0.2.1:8000", s3_region = "eu-west-1", user_active_tasks = 10, user_storage_quota = "10GB", user_uploads_per_hour = 200, user_streams = 10, user_running_tasks = 1 }
}
output "aws-s3" {
  value = templatefile("$PWD/terraform/aws/user-data.sh.tftpl", merge(local.aws, { s3_bucket = "cct-files-123" }))
}
output "web" {
  value = templatefile("$PWD/terraform/gcp/web/startup.sh.tftpl", merge(local.web, { nfs_server = "10.0.0.9", nfs_export = "/srv/cct", s3_bucket = "" }))
}
output "web-gcs" {
  value = templatefile("$PWD/terraform/gcp/web/startup.sh.tftpl", merge(local.web, { nfs_server = "", nfs_export = "/srv/cct", s3_bucket = "my-project-cct-files" }))
}
output "worker" {
  value = templatefile("$PWD/terraform/gcp/worker/startup.sh.tftpl", merge(local.worker, { nfs_server = "10.0.0.9", s3_bucket = "" }))
}
output "worker-gcs" {
  value = templatefile("$PWD/terraform/gcp/worker/startup.sh.tftpl", merge(local.worker, { nfs_server = "", s3_bucket = "my-project-cct-files" }))
}
EOF
  (cd "$dir" && terraform apply -auto-approve -input=false -no-color > apply.log 2>&1) || { cat "$dir/apply.log"; return 1; }
  for out in aws aws-s3 nfs web web-gcs worker worker-gcs; do
    (cd "$dir" && terraform output -raw "$out") > "$dir/$out.sh"
    shellcheck -s bash "$dir/$out.sh" || return 1
  done
  # With the bucket nothing is mounted; with the share no bucket is configured.
  if grep -q 'mount -t nfs\|CCT_NFS_SERVER' "$dir/web-gcs.sh" "$dir/worker-gcs.sh"; then echo "a gcs VM still mounts the share"; return 1; fi
  if [[ $(grep -l '^CCT_STORAGE_BACKEND=s3$' "$dir/worker-gcs.sh" "$dir/web-gcs.sh" "$dir/aws-s3.sh" | wc -l) -ne 3 ]]; then
    echo "a bucket layout does not set CCT_STORAGE_BACKEND=s3"; return 1
  fi
  if grep -q 'CCT_S3_' "$dir/web.sh" "$dir/worker.sh" "$dir/aws.sh"; then echo "a folder layout configures a bucket"; return 1; fi
}
run "terraform startup scripts render (share and bucket variants) and pass shellcheck" tf_templates

gitignore_rules() {
  local p
  for p in terraform/aws/terraform.tfstate terraform/gcp/web/terraform.tfstate.backup \
    terraform/gcp/database/terraform.tfvars terraform/aws/.terraform/x; do
    git check-ignore -q "$p" || { echo "$p is not git-ignored"; return 1; }
  done
  ! git check-ignore -q terraform/aws/terraform.tfvars.example || { echo "tfvars.example is ignored"; return 1; }
}
run "terraform state, tfvars and .terraform/ are git-ignored" gitignore_rules

# --- shell scripts ----------------------------------------------------------------------------

run "shellcheck process_files.sh scripts/*.sh nginx/*.envsh" shellcheck process_files.sh scripts/*.sh nginx/*.envsh

process_files_rules() {
  local empty="$work/empty.env" out expected
  : > "$empty"
  bash process_files.sh --help | grep -q -- '--no-docker' || { echo "--help does not describe --no-docker"; return 1; }
  if out="$(env -i PATH="$PATH" CCT_ENV_FILE="$empty" bash process_files.sh --check 2>&1)"; then
    echo "--check passed with no variables set"; return 1
  fi
  grep -q 'required variables not set: SPRING_DATASOURCE_URL' <<< "$out" || { echo "$out"; return 1; }
  if bash process_files.sh --bogus > /dev/null 2>&1; then echo "unknown option accepted"; return 1; fi
  # The bucket's own failure paths: each refused with a line naming the variable.
  local base=(env -i PATH="$PATH" CCT_ENV_FILE="$empty" SPRING_DATASOURCE_URL=jdbc:postgresql://192.0.2.1/cct
    SPRING_DATASOURCE_USERNAME=cct SPRING_DATASOURCE_PASSWORD=x CCT_REDIS_URL=redis://192.0.2.1 CCT_STORAGE_BACKEND=s3)
  out="$("${base[@]}" bash process_files.sh --check 2>&1)" && { echo "s3 without a bucket passed"; return 1; }
  grep -q 'required variables not set: CCT_S3_BUCKET' <<< "$out" || { echo "$out"; return 1; }
  out="$("${base[@]}" CCT_S3_BUCKET=b CCT_S3_ACCESS_KEY=a CCT_S3_ENDPOINT=ftp://x CCT_NFS_SERVER=192.0.2.3 CCT_NFS_EXPORT=/x \
    bash process_files.sh --check 2>&1)" && { echo "a contradictory s3 setup passed"; return 1; }
  for expected in 'CCT_S3_ACCESS_KEY and CCT_S3_SECRET_KEY go together' 'CCT_S3_ENDPOINT must be' 'CCT_NFS_SERVER is set but'; do
    grep -q "$expected" <<< "$out" || { echo "no '$expected' in: $out"; return 1; }
  done
  out="$("${base[@]/CCT_STORAGE_BACKEND=s3/CCT_STORAGE_BACKEND=nfs}" CCT_HOST_STORAGE=/tmp bash process_files.sh --check 2>&1)" &&
    { echo "CCT_STORAGE_BACKEND=nfs accepted"; return 1; }
  grep -q 'CCT_STORAGE_BACKEND must be folder or s3' <<< "$out" || { echo "$out"; return 1; }
}
run "process_files.sh: --help, and --check fails clearly without variables or with a bad bucket setup" process_files_rules

# --- Dockerfiles ------------------------------------------------------------------------------

dockerfile_user() { # the last USER must name a non-root user
  local file="$1" user
  user="$(awk 'toupper($1) == "USER" { u = $2 } END { print u }' "$file")"
  user="${user%%:*}"
  case "$user" in
    "") echo "$file: no USER line (the image would run as root)"; return 1 ;;
    root | 0) echo "$file: final USER is $user"; return 1 ;;
  esac
  grep -q '^HEALTHCHECK' "$file" || { echo "$file: no HEALTHCHECK"; return 1; }
}
for dockerfile in app/Dockerfile app-worker/Dockerfile; do
  run "$dockerfile: runs as a non-root USER, has a HEALTHCHECK" dockerfile_user "$dockerfile"
done
# The Maven reactor needs every module's POM, even in an image that builds only one module.
dockerfile_modules() {
  local module file ok=0
  while IFS= read -r module; do
    for file in app/Dockerfile app-worker/Dockerfile; do
      grep -q "^COPY $module/pom.xml " "$file" || { echo "$file does not copy $module/pom.xml"; ok=1; }
    done
  done < <(sed -n 's:.*<module>\(.*\)</module>.*:\1:p' pom.xml)
  return "$ok"
}
run "Dockerfiles copy the POM of every module in pom.xml" dockerfile_modules
run "app-worker/Dockerfile: installs ffmpeg" grep -q 'apt-get install.*ffmpeg' app-worker/Dockerfile

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
