#!/usr/bin/env bash
# Benchmark: one 1,000-node scale-out on the jclouds stub provider with a no-op configuration step
# (chain noop-scale-out), run by the packaged service against Debian's MariaDB on 127.0.0.1:3306.
# Prints total time, runner overhead per task, database rows and memory.
#   ./mvnw -q -B package -DskipTests && bench/orchestration-scale-out.sh [nodes] [workers]
# BENCH_JAVA_OPTS adds JVM options (e.g. -XX:StartFlightRecording=filename=target/scale-out.jfr,settings=profile).
# WARMUP_NODES=200 first scales another cluster out (unmeasured) so the measured run is not the JVM's first.
# Another database server (bench/galera-vs-single.sh): JDBC_URL ({db} stands for the bench database's name),
# MYSQL (the client command that reaches the writer), DB_PIDS (the server processes whose CPU is counted).
set -euo pipefail
NODES=${1:-1000}
WORKERS=${2:-32}
cd "$(dirname "$0")/.."
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || { echo "build first: ./mvnw -q -B package -DskipTests" >&2; exit 1; }
mkdir -p target && WORK=$(mktemp -d "$PWD/target/orchestration-bench.XXXXXX")
DB=rulescaler_bench_$(date +%s)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
TOKEN=bench-admin-token
JDBC_URL=${JDBC_URL:-"jdbc:mariadb://127.0.0.1:3306/{db}"}
MYSQL=${MYSQL:-mysql -uroot -h127.0.0.1}
# created here, once: never createDatabaseIfNotExist=true on the URL (on Galera that is DDL per connection, docs/scaling.md)
$MYSQL -e "CREATE DATABASE $DB"
java -Xmx1g ${BENCH_JAVA_OPTS:-} -Dquarkus.http.port=$PORT \
  "-Dquarkus.datasource.jdbc.url=${JDBC_URL//\{db\}/$DB}" \
  -Dquarkus.datasource.username=root -Dquarkus.datasource.password= \
  -Drulescaler.storage.data-dir=$WORK/data -Drulescaler.clusters.directory=$WORK/none \
  -Drulescaler.security.initial-admin-token=$TOKEN -Drulescaler.orchestration.workers=$WORKERS \
  -Drulescaler.orchestration.chains-directory=$PWD/actions -Drulescaler.notify.on-start=false \
  -Dquarkus.log.category.\"io.rulescaler\".level=WARN \
  -jar $JAR > $WORK/service.log 2>&1 &
PID=$!
# KEEP_DB=1 keeps the database for EXPLAIN/ANALYZE afterwards (drop it by hand)
trap 'kill $PID 2>/dev/null || true; [ -n "${KEEP_DB:-}" ] && echo "kept database $DB" || $MYSQL -e "DROP DATABASE IF EXISTS $DB" || true' EXIT
H="Authorization: Bearer $TOKEN"
until curl -sf -H "$H" http://127.0.0.1:$PORT/api/v1/operations >/dev/null; do sleep 0.5; done
curl -sf -H "$H" -H 'Content-Type: application/yaml' -X PUT http://127.0.0.1:$PORT/api/v1/clusters/bench --data-binary @- >/dev/null <<YAML
name: bench
provider: stub
template: {minCores: 1}
layout: {a: 1, b: 1, c: 1}
size: {min: 0, max: $NODES}
chains: {scaleOut: noop-scale-out}
YAML
if [ "${WARMUP_NODES:-0}" -gt 0 ]; then # optional: a first, unmeasured scale-out so the JIT has compiled the hot paths
  curl -sf -H "$H" -H 'Content-Type: application/yaml' -X PUT http://127.0.0.1:$PORT/api/v1/clusters/warmup --data-binary @- >/dev/null <<YAML
name: warmup
provider: stub
template: {minCores: 1}
size: {min: 0, max: $WARMUP_NODES}
chains: {scaleOut: noop-scale-out}
YAML
  curl -sf -H "$H" -H "Content-Type: application/json" -X POST http://127.0.0.1:$PORT/api/v1/operations \
    -d "{\"cluster\":\"warmup\",\"type\":\"scale\",\"targetSize\":$WARMUP_NODES}" >/dev/null
  until [ "$($MYSQL -N $DB -e "SELECT (SELECT COUNT(*) FROM operation WHERE cluster_name = 'warmup'
      AND active_cluster IS NULL) - (SELECT COUNT(*) FROM scale_request WHERE status = 'PENDING')")" = 1 ]; do sleep 0.5; done
  echo "warm-up: $WARMUP_NODES nodes scaled out first (not measured)"
fi
DB_PIDS=${DB_PIDS:-$(ss -ltnpH "sport = :3306" 2>/dev/null | grep -o "pid=[0-9]*" | head -1 | cut -d= -f2)}
cpu() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $t; } # user + system clock ticks
# the writer's counters (all its clients): commits, statements and Galera write-sets per task
STATUS_SQL="SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions','Com_select','Com_insert','Com_update','Com_delete','Com_commit',
  'Com_rollback','wsrep_replicated','wsrep_replicated_bytes','wsrep_local_cert_failures','wsrep_local_bf_aborts','wsrep_flow_control_paused_ns')"
$MYSQL -N -e "$STATUS_SQL" > $WORK/status0.out
CPU0_SVC=$(cpu $PID); CPU0_DB=$(cpu $DB_PIDS)
T0=$(date +%s.%N)
ANSWER=$(curl -sf -H "$H" -H "Content-Type: application/json" -X POST http://127.0.0.1:$PORT/api/v1/operations \
  -d "{\"cluster\":\"bench\",\"type\":\"scale\",\"targetSize\":$NODES}")
OP=$(echo "$ANSWER" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("operationId") or "")')
REQ=$(echo "$ANSWER" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("requestId") or 0)')
for _ in $(seq 20); do # the scheduled intake may have taken the request in at the same moment: ask the database
  [ -n "$OP" ] && [ "$OP" != NULL ] && break
  sleep 0.2
  OP=$($MYSQL -N $DB -e "SELECT operation_id FROM scale_request WHERE id = $REQ")
done
[ -n "$OP" ] && [ "$OP" != NULL ] || { echo "scale request not accepted: $ANSWER" >&2; exit 1; }
# poll the database, not the API: an operations listing loads every task of the operation, and polling
# it five times a second cost the service a noticeable share of its CPU during the run
while :; do
  STATE=$($MYSQL -N $DB -e "SELECT LOWER(state) FROM operation WHERE id = $OP")
  [ "$STATE" = running ] || break
  sleep 0.2
done
T1=$(date +%s.%N)
CPU1_SVC=$(cpu $PID); CPU1_DB=$(cpu $DB_PIDS)
$MYSQL -N -e "$STATUS_SQL" > $WORK/status1.out
HZ=$(getconf CLK_TCK)
RSS_KB=$(ps -o rss= -p $PID)
HEAP=$(curl -sf http://127.0.0.1:$PORT/q/metrics | awk '/^jvm_memory_used_bytes/ && /area="heap"/ {s+=$NF} END {printf "%.0f", s/1048576}')
$MYSQL -N $DB > $WORK/sql.out <<SQL
SELECT TIMESTAMPDIFF(MICROSECOND, created_at, finished_at) / 1e6 FROM operation WHERE id = $OP;
SELECT COUNT(*) FROM task WHERE operation_id = $OP;
SELECT SUM(TIMESTAMPDIFF(MICROSECOND, started_at, finished_at)) / 1e6 FROM task WHERE operation_id = $OP;
SELECT COUNT(*) FROM task_log l JOIN task t ON t.id = l.task_id WHERE t.operation_id = $OP;
SELECT COUNT(*) FROM node n JOIN cluster c ON c.id = n.cluster_id WHERE c.name = 'bench';
SELECT COUNT(*) FROM node_state_change h JOIN node n ON n.id = h.node_id JOIN cluster c ON c.id = n.cluster_id WHERE c.name = 'bench';
SELECT COUNT(*) FROM node n JOIN cluster c ON c.id = n.cluster_id WHERE c.name = 'bench' AND n.state = 'ACTIVE';
SELECT ROUND(SUM(data_length + index_length) / 1048576, 1) FROM information_schema.tables WHERE table_schema = '$DB';
SELECT TIMESTAMPDIFF(MICROSECOND, o.created_at, MIN(t.started_at)) / 1e6 FROM operation o JOIN task t ON t.operation_id = o.id WHERE o.id = $OP;
SQL
mapfile -t R < $WORK/sql.out
$MYSQL -t $DB -e "SELECT step_name, COUNT(*) tasks, ROUND(AVG(TIMESTAMPDIFF(MICROSECOND, started_at, finished_at))/1000, 1) avg_ms_claim_to_done, MIN(started_at) first_start, MAX(finished_at) last_done FROM task WHERE operation_id = $OP GROUP BY step_name ORDER BY MIN(id)"
echo "state=$STATE nodes_active=${R[6]} of $NODES workers=$WORKERS"
echo "operation_seconds=${R[0]} wall_seconds=$(python3 -c "print(round($T1-$T0,2))") planning_seconds=${R[8]} (operation created to first task claimed)"
echo "tasks=${R[1]} task_seconds_summed=${R[2]}"
python3 - "${R[0]}" "${R[1]}" "${R[2]}" "$WORKERS" <<'PY'
import sys
total, tasks, busy, workers = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
print(f"throughput_tasks_per_second={tasks/total:.0f} wall_ms_per_task={1000*total/tasks:.2f}")
print(f"runner_overhead_ms_per_task={1000*(total*workers - busy)/tasks:.2f} (worker-slot time not spent inside a claimed task, per task)")
PY
python3 - "$((CPU1_SVC-CPU0_SVC))" "$((CPU1_DB-CPU0_DB))" "$HZ" "${R[1]}" <<'PY'
import sys
svc, db, hz, tasks = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"cpu: service_s={svc/hz:.1f} database_s={db/hz:.1f} cpu_ms_per_task={1000*(svc+db)/hz/tasks:.2f} "
      "(CPU used while the operation ran; steadier than wall time on a shared machine)")
PY
python3 - $WORK/status0.out $WORK/status1.out "${R[1]}" <<'PY'
import sys
read = lambda f: dict(l.split() for l in open(f) if l.strip())
a, b, tasks = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3])
print("db_per_task: " + " ".join(f"{k}={(int(b[k]) - int(a[k])) / tasks:.2f}" for k in b if k in a and k != "wsrep_flow_control_paused_ns")
      + "".join(f" flow_control_paused_s={(int(b[k]) - int(a[k])) / 1e9:.2f}" for k in b if k == "wsrep_flow_control_paused_ns"))
PY
echo "rows: task=${R[1]} task_log=${R[3]} node=${R[4]} node_state_change=${R[5]} schema_mb=${R[7]}"
echo "memory: rss_mb=$((RSS_KB/1024)) heap_used_mb=$HEAP"
grep -c "lease expired\|task failed" $WORK/service.log | sed 's/^/warnings=/' || true
