#!/bin/sh
# Alertmanager webhook -> decision stored (p50/p99) and webhook throughput vs a bare endpoint, against the real service and MariaDB.
cd "$(dirname "$0")/.." && ./mvnw -q -B test -Dtest=CapacityWebhookBench -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep BENCH
