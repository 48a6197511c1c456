#!/usr/bin/env bash
# Time to ready (embedded first and second start, external MariaDB first and second start), time until
# the rules are compiled, CPU spent until ready and until the RSS is read, idle RSS; and two yardsticks
# started in the same run, same Quarkus and JDK: bench/bare-quarkus (REST + health only) and
# bench/bare-stack (rulescaler's extensions and Drools doing the least start-up work: one Flyway table,
# one Panache query, one one-rule DRL compiled in the background and fired once; external MariaDB,
# its own database), with the ratio of each case's ready time and RSS to both.
# Usage: bench/startup.sh   (builds the jars if missing; needs MariaDB on 127.0.0.1:3306 for bare-stack and the external cases)
#   BENCH_PORT=18765; BENCH_IDLE=75 seconds after the rules are ready (rulescaler: "default" ok on /q/health/ready;
#   bare-stack: "rule fired" in its log) before RSS is read (G1's idle collection comes 30-60 s after the last one);
#   BENCH_CASES=external skips embedded; BENCH_AGAIN=0 skips the second bare-stack and bare-quarkus runs;
#   "idle GC" counts G1's periodic collections (gc log in target/bench-startup/<case>.gc.log) before the RSS read:
#   0 with G1 means the RSS still holds the start's heap (a longer BENCH_IDLE helps); always 0 with another collector;
#   BENCH_TUNED="-XX:+UseSerialGC ..." adds external-tuned and bare-stack-tuned runs with these JVM options
#   (BENCH_TUNED_ENV="MALLOC_ARENA_MAX=2" adds environment variables to those runs);
#   BENCH_NMT=1 runs every JVM with -XX:NativeMemoryTracking=summary and saves `jcmd <pid> VM.native_memory summary`
#   at the RSS read to target/bench-startup/<case>.nmt.txt (NMT itself adds ~10 MB: keep those RSS apart).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/quarkus-app/quarkus-run.jar
BARE=bench/bare-quarkus/target/quarkus-app/quarkus-run.jar
STACK=bench/bare-stack/target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -q -B package -DskipTests
[ -f "$BARE" ] || ./mvnw -q -B -f bench/bare-quarkus/pom.xml package -DskipTests
[ -f "$STACK" ] || ./mvnw -q -B -f bench/bare-stack/pom.xml package -DskipTests
WORK=$(pwd)/target/bench-startup
rm -rf "$WORK" && mkdir -p "$WORK"
PORT=${BENCH_PORT:-18765}
IDLE=${BENCH_IDLE:-75}
DB=rulescaler_bench_startup
STACK_DB=rulescaler_bench_bare_stack
NMT=
[ "${BENCH_NMT:-0}" = 1 ] && NMT=-XX:NativeMemoryTracking=summary
BARE_MS= BARE_RSS= STACK_MS= STACK_RSS=

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

wait_log() { # $1 = start epoch ms, $2 = pid, $3 = log file, $4 = grep pattern; prints elapsed ms
  for _ in $(seq 1 6000); do
    kill -0 "$2" 2>/dev/null || { echo "process died" >&2; return 1; }
    grep -q -- "$4" "$3" && { echo $(( $(now_ms) - $1 )); return 0; }
    sleep 0.02
  done
  echo "never" >&2; return 1
}

ratio() { [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", a / b}' || echo "-"; }

run() { # $1 = label, $2 = jar, $3 = JVM options ("" for none), rest = env
  local label=$1 jar=$2 opts=$3; shift 3
  local load; load=$(load1)
  local log="$WORK/$label.log"
  local t0; t0=$(now_ms)
  # shellcheck disable=SC2086 # opts are word-split on purpose
  env "$@" QUARKUS_HTTP_PORT=$PORT java $NMT -Xlog:gc:file="$WORK/$label.gc.log" $opts -jar "$jar" >"$log" 2>&1 &
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
  [ "$jar" = "$STACK" ] && { rules=$(wait_log "$t0" $pid "$log" "rule fired") || rules="never"; }
  sleep "$IDLE"
  local java_rss; java_rss=$(rss_mb $pid)
  local cpu_idle; cpu_idle=$(cpu_s $pid)
  local idle_gc; idle_gc=$(grep -c "Periodic Collection" "$WORK/$label.gc.log" || true)
  [ -n "$NMT" ] && jcmd $pid VM.native_memory summary >"$WORK/$label.nmt.txt" 2>&1
  local db_rss="-"
  local dbpid; dbpid=$(pgrep -f "datadir=$WORK/data/mariadb" || true)
  [ -n "$dbpid" ] && db_rss=$(rss_mb "$dbpid")
  [ "$label" = bare-quarkus ] && { BARE_MS=$ms; BARE_RSS=$java_rss; }
  [ "$label" = bare-stack ] && { STACK_MS=$ms; STACK_RSS=$java_rss; }
  printf "| %-24s | %8s ms | %4s | %4s | %8s ms | %6s s | %6s s | %6s MB | %4s | %4s | %7s | %8s MB | %5s |\n" \
    "$label" "$ms" "$(ratio "$ms" "$BARE_MS")" "$(ratio "$ms" "$STACK_MS")" "$rules" "$cpu" "$cpu_idle" "$java_rss" \
    "$(ratio "$java_rss" "$BARE_RSS")" "$(ratio "$java_rss" "$STACK_RSS")" "$idle_gc" "$db_rss" "$load"
  kill $pid; wait $pid 2>/dev/null || true
}

echo "Ratios (÷q = to bare-quarkus, ÷s = to bare-stack, both of this run) for ready time and JVM RSS.${NMT:+ With NMT (RSS +~10 MB).}"
echo "| case                     | ready       | ÷q   | ÷s   | rules ready | CPU at ready | CPU at RSS | JVM RSS   | ÷q   | ÷s   | idle GC | MariaDB RSS | load1 |"
echo "|--------------------------|-------------|------|------|-------------|--------------|------------|-----------|------|------|---------|-------------|-------|"
run bare-quarkus "$BARE" ""
HAVE_DB=
mysql -uroot -h127.0.0.1 -e "DROP DATABASE IF EXISTS $STACK_DB; CREATE DATABASE $STACK_DB; DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB" 2>/dev/null && HAVE_DB=1
# first start: migrates its own database, as external-first-start does
[ -n "$HAVE_DB" ] && run bare-stack "$STACK" "" BARE_STACK_DB_URL="jdbc:mariadb://127.0.0.1:3306/$STACK_DB"
if [ "${BENCH_CASES:-all}" = all ]; then
  run embedded-first-start "$JAR" "" RULESCALER_DATA_DIR="$WORK/data"
  run embedded-second-start "$JAR" "" RULESCALER_DATA_DIR="$WORK/data"
fi
if [ -n "$HAVE_DB" ]; then
  EXT=(RULESCALER_DATA_DIR="$WORK/data-ext" RULESCALER_DB_URL="jdbc:mariadb://127.0.0.1:3306/$DB")
  run external-first-start "$JAR" "" "${EXT[@]}"
  run external-second-start "$JAR" "" "${EXT[@]}"
  [ "${BENCH_AGAIN:-1}" = 1 ] && run bare-stack-again "$STACK" "" BARE_STACK_DB_URL="jdbc:mariadb://127.0.0.1:3306/$STACK_DB"
  if [ -n "${BENCH_TUNED:-}" ]; then
    read -r -a TUNED_ENV <<<"${BENCH_TUNED_ENV:-}"
    run external-tuned "$JAR" "$BENCH_TUNED" "${EXT[@]}" "${TUNED_ENV[@]}"
    run bare-stack-tuned "$STACK" "$BENCH_TUNED" BARE_STACK_DB_URL="jdbc:mariadb://127.0.0.1:3306/$STACK_DB" "${TUNED_ENV[@]}"
  fi
  [ "${BENCH_AGAIN:-1}" = 1 ] && run bare-quarkus-again "$BARE" ""
else
  echo "| bare-stack, external-*   | skipped: no MariaDB on 127.0.0.1:3306 |"
fi
[ -n "${BENCH_TUNED:-}" ] && echo "tuned: ${BENCH_TUNED_ENV:-} $BENCH_TUNED"
true
