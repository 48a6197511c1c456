#!/bin/sh
# Alertmanager webhook received -> first task of the resulting operation started (p50/p90/p99/max) on an acting stub cluster with cooldowns at 0, real MariaDB.
# One JVM, three phases: "cold" (the JVM's first alerts, as before round 7), "warm-up" (alerts back to back, not in the
# statistics), "warm" (the same alerts as cold, on a cluster of its own, after the warm-up); stages, JIT compilations per phase,
# statements per alert and the floor (bare INSERT + commit).
# Options (pass as arguments): -Dbench.alerts=41 -Dbench.spacing-ms=500 (pause after each operation ends, plus up to 1 s at random)
# -Dbench.warmup=300 (0: the cold phase only) -Dbench.counted-alerts=5 -Dbench.tail=3 (BENCH-TAIL: the slowest alerts of each
# measured phase, stage by stage, with the GC pauses, safepoints, deoptimizations, JIT and background rounds in their way).
cd "$(dirname "$0")/.." && ./mvnw -q -B test -Dtest=HandoffLatencyBench -Dsurefire.failIfNoSpecifiedTests=false -Dbench.warmup=300 "$@" 2>&1 | grep BENCH
