#!/usr/bin/env bash
# Cost-growth model: C dry-run stub clusters of N nodes (node rows seeded, no machines), S samples/s and
# A alerts/s spread over them, on 1 or 2 packaged instances sharing one MariaDB (127.0.0.1:3306, root).
# Prints MODEL lines: setup, CPU per 1 000 samples, evaluation lag p50/p99 (alert received -> decided),
# heap and RSS per session, rows and bytes per cluster-day, and with 2 instances the take-over after kill -9.
#   ./mvnw -q -B package -DskipTests && bench/scale-model.sh C N [instances] [S] [A]
# S defaults to C samples/s (one per cluster and second, at least 200/s), A to C/20 alerts/s (at least 1).
# The reconciler is off (RECONCILE=1 turns it on): the seeded nodes have no machines, so it would fail them
# (7 200 of 10 000 within 8 minutes at C = N = 100) and the "idle" phase would measure that.
# PHASES="warm-up samples-only mixed" seconds, default "15 30 45" (and IDLE, default 10, seconds idle before samples-only). Results: docs/scaling.md.
set -euo pipefail
C=${1:?clusters}
N=${2:?nodes per cluster}
INSTANCES=${3:-1}
S=${4:-$(( C > 200 ? C : 200 ))}
A=${5:-$(python3 -c "print(max(1, $C / 20))")}
read -r WARM SAMPLES MIXED <<< "${PHASES:-15 30 45}"
cd "$(dirname "$0")/.."
JAR=${JAR:-target/quarkus-app/quarkus-run.jar} # JAR=... to run another build (old vs new)
[ -f "$JAR" ] || { echo "build first: ./mvnw -q -B package -DskipTests" >&2; exit 1; }
mkdir -p target && WORK=$(mktemp -d "$PWD/target/scale-model.XXXXXX")
DB=rulescaler_model_$(date +%s)
TOKEN=bench-admin-token
PIDS=(); PORTS=(); IDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done # stopped before the database goes
  [ -n "${KEEP_DB:-}" ] && echo "kept database $DB" || mysql -uroot -h127.0.0.1 -e "DROP DATABASE IF EXISTS $DB" || true
}
trap cleanup EXIT
start() { # instance id; the first migrates the schema, so the second starts after it is ready
  local id=$1 port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  java -Xmx${HEAP:-2g} ${BENCH_JAVA_OPTS:-} -Dquarkus.http.port=$port \
    "-Dquarkus.datasource.jdbc.url=jdbc:mariadb://127.0.0.1:3306/$DB?createDatabaseIfNotExist=true" \
    -Dquarkus.datasource.username=root -Dquarkus.datasource.password= -Drulescaler.orchestration.instance-id=$id \
    -Drulescaler.storage.data-dir=$WORK/data-$id -Drulescaler.clusters.directory=$WORK/none \
    -Drulescaler.security.initial-admin-token=$TOKEN -Drulescaler.notify.on-start=false \
    -Drulescaler.orchestration.chains-directory=$PWD/actions \
    ${RECONCILE:+-Drulescaler.reconcile.interval=5m} ${RECONCILE:--Drulescaler.reconcile.interval=off -Drulescaler.reconcile.on-start=false} \
    -Dquarkus.log.category.\"io.rulescaler\".level=WARN \
    -jar $JAR > $WORK/service-$id.log 2>&1 &
  disown # the load generator kills one with -9; no job notice
  PIDS+=($!); PORTS+=($port); IDS+=($id)
  until curl -sf http://127.0.0.1:$port/q/health/ready >/dev/null; do
    kill -0 "${PIDS[-1]}" 2>/dev/null || { echo "instance $id died: $WORK/service-$id.log" >&2; exit 1; }
    sleep 0.5
  done
}
start model-a
[ "$INSTANCES" -ge 2 ] && start model-b
echo "MODEL run date=$(date -u +%FT%TZ) clusters=$C nodes=$N instances=$INSTANCES samples_per_s=$S alerts_per_s=$A" \
  "cores=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /) heap_max=${HEAP:-2g}"
KILL=(); [ "$INSTANCES" -ge 2 ] && KILL=(--kill)
python3 bench/tools/scale_model.py --db "$DB" --ports "$(IFS=,; echo "${PORTS[*]}")" --pids "$(IFS=,; echo "${PIDS[*]}")" \
  --ids "$(IFS=,; echo "${IDS[*]}")" --admin-token $TOKEN --clusters "$C" --nodes "$N" --samples "$S" --alerts "$A" \
  --warmup "$WARM" --idle-phase "${IDLE:-10}" --samples-phase "$SAMPLES" --mixed-phase "$MIXED" "${KILL[@]}"
grep -c "WARN\|ERROR" $WORK/service-*.log | sed 's/^/warnings: /' || true
