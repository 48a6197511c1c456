#!/bin/sh
# Alertmanager webhook -> decision stored (p50/p99) and webhook throughput vs a bare endpoint, against the real service and MariaDB.
# Extra arguments go to Maven, e.g. -Dbench.only=latency|throughput, -Dbench.threads=16 (concurrent senders), -Dbench.warmup=N.
cd "$(dirname "$0")/.." && ./mvnw -q -B test -Dtest=CapacityWebhookBench -Dsurefire.failIfNoSpecifiedTests=false "$@" 2>&1 | grep BENCH
