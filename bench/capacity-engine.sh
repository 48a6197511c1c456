#!/bin/sh
# Samples/s through the shipped window rules (service session path vs raw Drools) and reload of 200 rules.
cd "$(dirname "$0")/.." && ./mvnw -q -B test -Dtest=CapacityEngineBench -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep BENCH
