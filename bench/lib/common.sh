# Shell helpers both benchmarks use (sourced by scripts/bench.sh and scripts/bench-scale.sh, after
# they define say/die and LOGS).

stop_pid() { # pid, seconds to wait after SIGTERM
  local pid=$1 wait_s=${2:-30} i
  [[ -n $pid ]] && kill -0 "$pid" 2> /dev/null || return 0
  kill -TERM "$pid" 2> /dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do kill -0 "$pid" 2> /dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
}

wait_health() { # name, port, pid[, seconds (default 120)]
  local i limit=$(( ${4:-120} * 2 ))
  for ((i = 0; i < limit; i++)); do
    kill -0 "$3" 2> /dev/null || die "$1 exited during start-up; see $LOGS"
    curl -sf --max-time 2 "http://127.0.0.1:$2/actuator/health" > /dev/null 2>&1 && return 0
    sleep 0.5
  done
  die "$1 not healthy after ${4:-120} s; see $LOGS"
}
