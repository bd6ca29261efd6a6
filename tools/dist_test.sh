#!/usr/bin/env bash
# Usage: tools/dist_test.sh CONFIG CHECKPOINT GPUS [test.py args...]
# Multi-node: NNODES, NODE_RANK, MASTER_ADDR, PORT as in MMAction2.
set -e
source "$(dirname "$0")/dist_launch.sh"

USAGE='tools/dist_test.sh CONFIG CHECKPOINT GPUS [test.py args...]'
[ $# -ge 3 ] && is_count "$3" || dist_usage "$USAGE"
CONFIG=$1
CHECKPOINT=$2
GPUS=$3
dist_launch test "$GPUS" "$CONFIG" "$CHECKPOINT" "${@:4}"
