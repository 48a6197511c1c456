#!/bin/sh
# Undo of drain.sh: a scale-in cancelled while the node drained puts the node back into service.
set -eu
echo "back in service: ${RULESCALER_NODE} (${RULESCALER_NODE_ADDRESS:-no address}) of ${RULESCALER_CLUSTER}"
