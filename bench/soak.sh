#!/bin/sh
# Soak: 20 stub clusters, a cpu sample each every 100 ms and a HighLoad alert each every 2 s, for N minutes (default 20);
# reports decision rows per cluster-hour against the evaluations they stand for. Usage: bench/soak.sh [minutes] [maven args]
MINUTES=${1:-20}
[ $# -gt 0 ] && shift
cd "$(dirname "$0")/.." && ./mvnw -q -B test -Dtest=SoakBench -Dsurefire.failIfNoSpecifiedTests=false -Dsoak.minutes="$MINUTES" "$@" 2>&1 | grep BENCH
