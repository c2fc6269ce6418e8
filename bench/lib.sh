# shellcheck shell=bash
# Shared helpers of bench/load and bench/detect: start the simulator and the agent from the
# packaged jar on 127.0.0.1 and stop them again. Source it; it needs JAR and WORK set.

PIDS=()

stop_started() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}

now_ms() {
  date +%s%3N
}

# Prints a free TCP port on 127.0.0.1.
free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0));
print(s.getsockname()[1])'
}

ensure_jar() {
  if [[ ! -f "$JAR" ]]; then
    mvn -B -q -o package -DskipTests
  fi
}

# start_simulator PORT: serves $WORK/scenario.yaml, waits until the stats endpoint returns 200.
start_simulator() {
  local port=$1
  java -jar "$JAR" simulate --scenario="$WORK/scenario.yaml" \
    --listen-address="127.0.0.1:$port" >"$WORK/simulator.log" 2>&1 &
  PIDS+=($!)
  SIMULATOR="http://127.0.0.1:$port"
  for _ in $(seq 1 600); do
    if curl -fs "$SIMULATOR/simulator/stats" >/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "The simulator did not start within 60 s; see $WORK/simulator.log" >&2
  return 1
}

# start_agent PORT: runs the agent with the Docker image's JVM flags on $WORK/agent.yaml and
# sets AGENT_PID, AGENT and AGENT_STARTED_MS.
# shellcheck disable=SC2034 # the variables are for the scripts that source this file
start_agent() {
  local port=$1
  AGENT_STARTED_MS=$(now_ms)
  BENCH_API_KEY=simulated java -XX:+ExitOnOutOfMemoryError -jar "$JAR" run \
    --config.file="$WORK/agent.yaml" --web.listen-address="127.0.0.1:$port" \
    >"$WORK/agent.log" 2>&1 &
  AGENT_PID=$!
  PIDS+=("$AGENT_PID")
  AGENT="http://127.0.0.1:$port"
}

# simulator_stat NAME: prints one field of the simulator's request statistics.
simulator_stat() {
  curl -fs "$SIMULATOR/simulator/stats" | jq -r ".$1"
}

# cpu_ms PID: prints the user plus system CPU time of a process in milliseconds.
cpu_ms() {
  local ticks
  ticks=$(awk '{print $14 + $15}' "/proc/$1/stat")
  echo $(( ticks * 1000 / $(getconf CLK_TCK) ))
}
