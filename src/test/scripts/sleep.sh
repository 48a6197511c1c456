#!/bin/sh
# Test script for LocalScriptTest: runs longer than the step timeout.
echo "sleeping"
sleep 30
