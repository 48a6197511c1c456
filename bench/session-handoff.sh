#!/bin/sh
# Alert stored by a non-owner instance -> decision stored by the session's owner (p50/p99), real MariaDB.
# Options: -Dhandoff.alerts=100 -Dhandoff.spacing-ms=37 (pass as arguments).
cd "$(dirname "$0")/.." && ./mvnw -q -B test -Dtest=SessionHandoffBench -Dsurefire.failIfNoSpecifiedTests=false "$@" 2>&1 | grep BENCH
