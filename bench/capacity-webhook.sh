#!/bin/sh
# Alertmanager webhook -> decision stored (p50/p99) and webhook throughput vs a bare endpoint, against the real service and MariaDB.
# Extra arguments go to Maven, e.g. -Dbench.only=latency|throughput, -Dbench.threads=16 (concurrent senders), -Dbench.warmup=N (fewest warm-up rounds; more run until the JIT has settled, at most -Dbench.warmup.max=20).
cd "$(dirname "$0")/.." && ./mvnw -q -B test -Dtest=CapacityWebhookBench -Dsurefire.failIfNoSpecifiedTests=false "$@" 2>&1 | grep BENCH
