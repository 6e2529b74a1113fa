#!/bin/sh
# Renders nginx/ as the nginx image does at start, into DIR: DIR/nginx.conf (a copy) and DIR/conf.d/
# from nginx/templates/*.template. The image's entrypoint sources the *.envsh scripts (which export
# CCT_NGINX_BODY_LIMIT and CCT_NGINX_REAL_IP from CCT_MAX_UPLOAD_SIZE and CCT_NGINX_TRUSTED_PROXIES),
# then its 20-envsubst-on-templates.sh substitutes the defined variables in the templates. Used by
# scripts/check-deploy.sh and the multi-host system test; POSIX sh (busybox sh, the Alpine image's).
#   scripts/render-nginx.sh DIR      (environment: CCT_MAX_UPLOAD_SIZE, CCT_NGINX_TRUSTED_PROXIES)
set -e
cd "$(dirname "$0")/.."
[ -n "$1" ] || { echo "usage: $0 DIR" >&2; exit 2; }
mkdir -p "$1/conf.d"
cp nginx/nginx.conf "$1/nginx.conf"
# shellcheck source=nginx/15-cct-body-limit.envsh
. ./nginx/15-cct-body-limit.envsh > /dev/null
# shellcheck source=nginx/16-cct-real-ip.envsh
. ./nginx/16-cct-real-ip.envsh > /dev/null
defined="$(awk 'END { for (name in ENVIRON) printf "${%s} ", name }' < /dev/null)"
for template in nginx/templates/*.template; do
  rendered="$1/conf.d/$(basename "$template" .template)"
  envsubst "$defined" < "$template" > "$rendered"
done
