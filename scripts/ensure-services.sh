#!/usr/bin/env bash
# Makes sure what the service and its tests need is here and running, on a fresh Debian machine too:
# ffmpeg (installed with apt-get when missing), PostgreSQL and Redis (started when installed but down),
# and the application database. Prints what it does; exits non-zero with the exact step to take when
# it cannot fix something itself.
set -euo pipefail

PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
DATABASE="${CCT_DATABASE:-cct}"
APT_UPDATED=""

apt_install() {
  if ! command -v apt-get > /dev/null 2>&1; then
    echo "missing: $* (install it with your package manager)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [[ -z "$APT_UPDATED" ]]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  echo "installing $* (apt-get)"
  apt-get install -y -qq "$@" > /dev/null
}

# --- tools ---------------------------------------------------------------------------------------
packages=()
command -v ffmpeg > /dev/null 2>&1 || packages+=(ffmpeg)
command -v ffprobe > /dev/null 2>&1 || packages+=(ffmpeg)
# HEIC/HEIF photos are decoded by libheif (heif-enc makes them in the tests)
command -v heif-convert > /dev/null 2>&1 || packages+=(libheif-examples)
# and libwebp's webpmux takes the first frame of an animated WebP
command -v webpmux > /dev/null 2>&1 || packages+=(webp)
if [[ "${CCT_NEED_BROWSER:-}" == "1" ]]; then
  command -v chromium > /dev/null 2>&1 || packages+=(chromium)
  command -v chromedriver > /dev/null 2>&1 || packages+=(chromium-driver)
fi
# The edge test runs the repository's nginx config in front of the web jar
if [[ "${CCT_NEED_NGINX:-}" == "1" ]]; then
  command -v nginx > /dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || packages+=(nginx)
fi
if [[ "${CCT_NEED_ARCHIVERS:-}" == "1" ]]; then
  command -v 7z > /dev/null 2>&1 || packages+=(p7zip-full)
  command -v unzip > /dev/null 2>&1 || packages+=(unzip)
fi
# The real-files corpus test (system-tests/.../corpus) makes its files with other programs than ffmpeg,
# and reads archives back with bsdtar
if [[ "${CCT_NEED_CORPUS_TOOLS:-}" == "1" ]]; then
  command -v lame > /dev/null 2>&1 || packages+=(lame)
  command -v flac > /dev/null 2>&1 || packages+=(flac)
  command -v oggenc > /dev/null 2>&1 || packages+=(vorbis-tools)
  command -v sox > /dev/null 2>&1 || packages+=(sox)
  # /usr/local/bin may hold a stand-in named convert: Debian's ImageMagick is looked for by its own path
  [[ -x /usr/bin/convert-im6.q16 || -x /usr/bin/convert ]] || packages+=(imagemagick)
  command -v heif-enc > /dev/null 2>&1 || packages+=(libheif-examples)
  command -v x264 > /dev/null 2>&1 || packages+=(x264)
  command -v mkvmerge > /dev/null 2>&1 || packages+=(mkvtoolnix)
  command -v cwebp > /dev/null 2>&1 || packages+=(webp)
  command -v img2webp > /dev/null 2>&1 || packages+=(webp)
  command -v zip > /dev/null 2>&1 || packages+=(zip)
  command -v 7z > /dev/null 2>&1 || packages+=(p7zip-full)
  command -v bsdtar > /dev/null 2>&1 || packages+=(libarchive-tools)
  [[ -d /usr/share/sounds/freedesktop ]] || packages+=(sound-theme-freedesktop)
fi
if [[ ${#packages[@]} -gt 0 ]]; then
  mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)
  apt_install "${packages[@]}"
fi

# --- PostgreSQL ----------------------------------------------------------------------------------
pg_up() { pg_isready -q -h "$PGHOST" -p "$PGPORT" 2> /dev/null; }
if ! pg_up; then
  if command -v pg_ctlcluster > /dev/null 2>&1 && ls /etc/postgresql/ > /dev/null 2>&1; then
    version="$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf "%f\n" | sort -V | tail -n 1)"
    echo "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  fi
fi
if ! pg_up; then
  echo "PostgreSQL is not reachable on $PGHOST:$PGPORT. Install and start it (apt-get install postgresql)," >&2
  echo "or point SPRING_DATASOURCE_URL at a running server." >&2
  exit 1
fi
if ! psql -h "$PGHOST" -p "$PGPORT" -U postgres -tAc "select 1 from pg_database where datname = '$DATABASE'" | grep -q 1; then
  echo "creating database $DATABASE"
  psql -h "$PGHOST" -p "$PGPORT" -U postgres -qc "create database $DATABASE"
fi

# --- Redis ---------------------------------------------------------------------------------------
redis_up() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2> /dev/null | grep -q PONG; }
if ! redis_up; then
  if command -v redis-server > /dev/null 2>&1; then
    echo "starting Redis on $REDIS_PORT"
    mkdir -p /var/lib/redis /var/log/redis 2> /dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/cct.log
    for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
  fi
fi
if ! redis_up; then
  echo "Redis is not reachable on 127.0.0.1:$REDIS_PORT. Install and start it (apt-get install redis-server)," >&2
  echo "or point CCT_REDIS_URL at a running server." >&2
  exit 1
fi
echo "ffmpeg, PostgreSQL ($DATABASE) and Redis are ready"
