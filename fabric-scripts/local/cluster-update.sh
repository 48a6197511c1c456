#!/bin/sh
# Runs once per operation on the service host: tells the rest of the cluster about the change.
# With the stub provider there is nothing to update; it prints what a real update would use.
set -eu
echo "cluster ${RULESCALER_CLUSTER}: operation ${RULESCALER_OPERATION_ID} peers=${RULESCALER_PEERS:-none}"
