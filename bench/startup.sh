#!/usr/bin/env bash
# Time to ready (embedded first and second start, external MariaDB first and second start), time until
# the rules are compiled, CPU spent until ready, idle RSS; and a bare Quarkus service (bench/bare-quarkus,
# same Quarkus and JDK) started in the same run, with the ratio of each case to it.
# Usage: bench/startup.sh   (builds both jars if missing; needs MariaDB on 127.0.0.1:3306 for the external cases;
#                            BENCH_PORT=18765, BENCH_IDLE=40 seconds after the rules are ready before RSS is read (past the idle collection at 30 s), BENCH_CASES=external skips embedded)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/quarkus-app/quarkus-run.jar
BARE=bench/bare-quarkus/target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -q -B package -DskipTests
[ -f "$BARE" ] || ./mvnw -q -B -f bench/bare-quarkus/pom.xml package -DskipTests
WORK=$(pwd)/target/bench-startup
rm -rf "$WORK" && mkdir -p "$WORK"
PORT=${BENCH_PORT:-18765}
IDLE=${BENCH_IDLE:-40}
DB=rulescaler_bench_startup
BARE_MS=

now_ms() { date +%s%3N; }
cpu_s() { awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$1/stat"; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
load1() { cut -d' ' -f1 /proc/loadavg; }

wait_for() { # $1 = start epoch ms, $2 = pid, $3 = grep pattern on the ready body ("" = any 200); prints elapsed ms
  local body
  for _ in $(seq 1 2400); do
    kill -0 "$2" 2>/dev/null || { echo "process died" >&2; return 1; }
    if body=$(curl -fs "http://127.0.0.1:$PORT/q/health/ready" 2>/dev/null) && grep -q -- "$3" <<<"$body"; then
      echo $(( $(now_ms) - $1 )); return 0
    fi
    sleep 0.02
  done
  echo "not ready" >&2; return 1
}

run() { # $1 = label, $2 = jar, rest = env
  local label=$1 jar=$2; shift 2
  local load; load=$(load1)
  local t0; t0=$(now_ms)
  env "$@" QUARKUS_HTTP_PORT=$PORT java -jar "$jar" >"$WORK/$label.log" 2>&1 &
  local pid=$!
  local ms
  if ! ms=$(wait_for "$t0" $pid ""); then
    printf "| %-24s | not ready: see %s |\n" "$label" "target/bench-startup/$label.log"
    kill $pid 2>/dev/null; wait $pid 2>/dev/null || true
    return 0
  fi
  local cpu; cpu=$(cpu_s $pid)
  local rules="-"
  [ "$jar" = "$JAR" ] && { rules=$(wait_for "$t0" $pid '"default" *: *"ok"') || rules="never"; }
  sleep "$IDLE"
  local java_rss; java_rss=$(rss_mb $pid)
  local db_rss="-"
  local dbpid; dbpid=$(pgrep -f "datadir=$WORK/data/mariadb" || true)
  [ -n "$dbpid" ] && db_rss=$(rss_mb "$dbpid")
  [ -z "$BARE_MS" ] && BARE_MS=$ms
  local ratio; ratio=$(awk -v a="$ms" -v b="$BARE_MS" 'BEGIN {printf "%.1f", a / b}')
  printf "| %-24s | %8s ms | %5s | %8s ms | %6s s | %6s MB | %8s MB | %5s |\n" \
    "$label" "$ms" "$ratio" "$rules" "$cpu" "$java_rss" "$db_rss" "$load"
  kill $pid; wait $pid 2>/dev/null || true
}

echo "| case                     | ready       | ÷bare | rules ready | CPU at ready | JVM RSS   | MariaDB RSS | load1 |"
echo "|--------------------------|-------------|-------|-------------|--------------|-----------|-------------|-------|"
run bare-quarkus "$BARE"
if [ "${BENCH_CASES:-all}" = all ]; then
  run embedded-first-start "$JAR" RULESCALER_DATA_DIR="$WORK/data"
  run embedded-second-start "$JAR" RULESCALER_DATA_DIR="$WORK/data"
fi
if mysql -uroot -h127.0.0.1 -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB" 2>/dev/null; then
  run external-first-start "$JAR" RULESCALER_DATA_DIR="$WORK/data-ext" RULESCALER_DB_URL="jdbc:mariadb://127.0.0.1:3306/$DB"
  run external-second-start "$JAR" RULESCALER_DATA_DIR="$WORK/data-ext" RULESCALER_DB_URL="jdbc:mariadb://127.0.0.1:3306/$DB"
  run bare-quarkus-again "$BARE"
else
  echo "| external-*               | skipped: no MariaDB on 127.0.0.1:3306 |"
fi
