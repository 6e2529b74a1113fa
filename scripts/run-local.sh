#!/usr/bin/env bash
# Starts the web process and one worker in the foreground; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

read -r -a java_opts <<< "${JAVA_OPTS:-}"
pids=()
stop() {
  trap - INT TERM EXIT
  echo "stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  wait || true
}
trap stop INT TERM EXIT

java @app/jvm.options "${java_opts[@]}" -jar app/target/app.jar &
pids+=($!)
java @app-worker/jvm.options "${java_opts[@]}" -jar app-worker/target/app-worker.jar &
pids+=($!)
echo "web on http://localhost:${SERVER_PORT:-8080}, dashboard on http://localhost:${JOBRUNR_DASHBOARD_PORT:-8001} (Ctrl-C stops both)"
wait -n
