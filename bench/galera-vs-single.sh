#!/bin/sh
# Galera (3 nodes on loopback, one writer, wsrep_sync_wait=3) beside a single MariaDB of the same binaries, options and disk, in one run against the packaged jar: the 1 000-node stub scale-out (bench/orchestration-scale-out.sh) and webhook deliveries/s (8 alerts each, 4 senders), single then Galera, then reversed; medians and ratios Galera ÷ single.
#   ./mvnw -q -B package -DskipTests && bench/galera-vs-single.sh [-Dbench.rounds=2] [-Dbench.nodes=1000] [-Dbench.threads=4] [-Dbench.webhook.rounds=3] [-Dbench.nosync=true: also Galera with wsrep_sync_wait=0, a diagnostic]
cd "$(dirname "$0")/.." && ./mvnw -q -B test -Dtest=GaleraVsSingleBench -Dsurefire.failIfNoSpecifiedTests=false "$@" 2>&1 | grep -E "BENCH|ERROR|FAIL"
