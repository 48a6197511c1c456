#!/bin/sh
# Runs on the service host before a stub node is destroyed; a real drain would wait for
# connections to finish (see the DrainNode action of the remote-configuration chains).
# Step parameter "wait" (seconds) stands for the time connections take to end.
set -eu
echo "draining ${RULESCALER_NODE} (${RULESCALER_NODE_ADDRESS:-no address}) of ${RULESCALER_CLUSTER}"
sleep "${RULESCALER_PARAM_WAIT:-0}"
