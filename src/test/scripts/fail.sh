#!/bin/sh
# Test script for LocalScriptTest: fails with exit code 3.
echo "something broke" >&2
exit 3
