#!/bin/sh
# Alertmanager webhook received -> first task of the resulting operation started (p50/p90/p99/max) on an acting stub cluster with cooldowns at 0, real MariaDB.
# Options (pass as arguments): -Dbench.alerts=40 -Dbench.spacing-ms=500 (pause after each operation ends, plus up to 1 s at random).
cd "$(dirname "$0")/.." && ./mvnw -q -B test -Dtest=HandoffLatencyBench -Dsurefire.failIfNoSpecifiedTests=false "$@" 2>&1 | grep BENCH
