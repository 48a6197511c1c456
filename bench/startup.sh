#!/usr/bin/env bash
# Time to ready (embedded first start, embedded second start, external MariaDB) and idle RSS.
# Usage: bench/startup.sh            (builds the jar if missing; needs MariaDB on 127.0.0.1:3306 for the external case)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -q -B package -DskipTests
WORK=$(pwd)/target/bench-startup
rm -rf "$WORK" && mkdir -p "$WORK"
PORT=18765

ready_ms() { # $1 = start epoch ms; waits for readiness, prints elapsed ms
  local t0=$1
  for _ in $(seq 1 1200); do
    if curl -fs "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1; then
      echo $(( $(date +%s%3N) - t0 )); return 0
    fi
    sleep 0.05
  done
  echo "not ready" >&2; return 1
}

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

run() { # $1 = label, rest = env
  local label=$1; shift
  local t0; t0=$(date +%s%3N)
  env "$@" QUARKUS_HTTP_PORT=$PORT java -jar "$JAR" >"$WORK/$label.log" 2>&1 &
  local pid=$!
  local ms; ms=$(ready_ms "$t0")
  sleep 10
  local java_rss; java_rss=$(rss_mb $pid)
  local db_rss="-"
  local dbpid; dbpid=$(pgrep -f "datadir=$WORK/data/mariadb" || true)
  [ -n "$dbpid" ] && db_rss=$(rss_mb "$dbpid")
  printf "| %-24s | %8s ms | %6s MB | %8s MB |\n" "$label" "$ms" "$java_rss" "$db_rss"
  kill $pid; wait $pid 2>/dev/null || true
}

echo "| case                     | ready        | JVM RSS   | MariaDB RSS |"
echo "|--------------------------|--------------|-----------|-------------|"
run embedded-first-start RULESCALER_DATA_DIR="$WORK/data"
run embedded-second-start RULESCALER_DATA_DIR="$WORK/data"
mysql -uroot -h127.0.0.1 -e "DROP DATABASE IF EXISTS rulescaler_bench; CREATE DATABASE rulescaler_bench" 2>/dev/null \
  && run external-mariadb-10.11 RULESCALER_DATA_DIR="$WORK/data-ext" RULESCALER_DB_URL="jdbc:mariadb://127.0.0.1:3306/rulescaler_bench" \
  || echo "| external-mariadb-10.11   | skipped: no MariaDB on 127.0.0.1:3306 |"
