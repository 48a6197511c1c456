#!/bin/sh
# Alertmanager webhook -> decision stored (p50/p99), and webhook deliveries/s (8 alerts each) against a bare endpoint and a committing floor (one INSERT + one commit per delivery), in one run against the real service and MariaDB.
# Extra arguments go to Maven, e.g. -Dbench.only=latency|throughput, -Dbench.threads=16 (concurrent senders), -Dbench.alerts=8 (alerts per delivery), -Dbench.warmup=N (fewest warm-up rounds; more run until the JIT has settled, at most -Dbench.warmup.max=20), -Dbench.jfr=target/wh (a JFR "profile" recording of the real webhook's part of each measured round, target/wh-N.jfr).
# Per measured round it prints deliveries/s, database statements and bytes per delivery, and CPU per delivery of the service (JVM less the senders) and of mariadbd.
cd "$(dirname "$0")/.." && ./mvnw -q -B test -Dtest=CapacityWebhookBench -Dsurefire.failIfNoSpecifiedTests=false "$@" 2>&1 | grep BENCH
