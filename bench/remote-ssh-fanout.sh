#!/usr/bin/env bash
# SSH command latency/throughput and DistributeScript fan-out against 8 local sshd hosts (needs openssh-server, root).
cd "$(dirname "$0")/.." && ./mvnw -q -B test -Dtest=SshFanOutBench -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep '^BENCH'
