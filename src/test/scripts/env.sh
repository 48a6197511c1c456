#!/bin/sh
# Test script for LocalScriptTest: prints its environment values and one output.
echo "cluster=$RULESCALER_CLUSTER node=$RULESCALER_NODE zone=$RULESCALER_NODE_ZONE peers=$RULESCALER_PEERS param=$RULESCALER_PARAM_GREETING args=$*"
echo "::output seen=$RULESCALER_NODE"
