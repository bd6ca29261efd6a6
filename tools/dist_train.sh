#!/usr/bin/env bash
# Usage: tools/dist_train.sh CONFIG GPUS [train.py args...]
# Multi-node: NNODES, NODE_RANK, MASTER_ADDR, PORT as in MMAction2.
# On CPU-only torch, GPUS processes train over gloo.
set -e
source "$(dirname "$0")/dist_launch.sh"

USAGE='tools/dist_train.sh CONFIG GPUS [train.py args...]'
[ $# -ge 2 ] && is_count "$2" || dist_usage "$USAGE"
CONFIG=$1
GPUS=$2
dist_launch train "$GPUS" "$CONFIG" "${@:3}"
