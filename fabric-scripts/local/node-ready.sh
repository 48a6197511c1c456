#!/bin/sh
# Runs on the service host after a stub machine was created: a stand-in for configuration that
# shows which values a LocalScript step receives. Prints one output for later steps.
set -eu
echo "node ${RULESCALER_NODE} (id ${RULESCALER_NODE_ID}, zone ${RULESCALER_NODE_ZONE:-none}) of cluster ${RULESCALER_CLUSTER}"
echo "address ${RULESCALER_NODE_ADDRESS:-unknown}, machine ${RULESCALER_NODE_PROVIDER_ID:-unknown}, operation ${RULESCALER_OPERATION_ID}"
echo "::output ready-node=${RULESCALER_NODE}"
# a step may pass the application version it configures (step param "version"), e.g. a redeploy's
[ -z "${RULESCALER_PARAM_VERSION:-}" ] || echo "app version ${RULESCALER_PARAM_VERSION}"
