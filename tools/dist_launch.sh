# Sourced by tools/dist_train.sh and tools/dist_test.sh:
#   dist_launch TOOL NPROC TOOL_ARGS...
# checks the command's files once (one message, before any process starts),
# then starts NPROC processes of tools/TOOL.py with torchrun.
# One node with neither PORT nor MASTER_ADDR set: torchrun's standalone mode
# picks a free port, so a second job on the machine (or anything else on
# MMAction2's 29500) does not stop this one. Otherwise NNODES, NODE_RANK,
# MASTER_ADDR (default 127.0.0.1) and PORT (default 29500) are used as in
# MMAction2.

dist_launch() {
    local tool=$1 nproc=$2
    shift 2
    local here
    here="$(dirname "${BASH_SOURCE[0]}")"
    local python=${PYTHON:-python}
    local nnodes=${NNODES:-1}

    "$python" -W ignore "$here/../cmd_plugin/launch/preflight.py" "$tool" "$@" \
        || return $?

    local rendezvous
    if [ "$nnodes" = 1 ] && [ -z "${PORT:-}" ] && [ -z "${MASTER_ADDR:-}" ]
    then
        rendezvous=(--standalone)
    else
        rendezvous=(--nnodes="$nnodes" --node_rank="${NODE_RANK:-0}"
            --master_addr="${MASTER_ADDR:-127.0.0.1}"
            --master_port="${PORT:-29500}")
    fi
    CMD_PLUGIN_DATA_CHECKED=1 PYTHONPATH="$here/..":$PYTHONPATH \
    "$python" -m torch.distributed.run "${rendezvous[@]}" \
        --nproc_per_node="$nproc" "$here/$tool.py" "$@" --launcher pytorch
}

dist_usage() {
    cat >&2 <<USAGE
usage: $1
  GPUS  processes on this node: one per GPU; on CPU-only torch, processes
        over gloo (e.g. 1 or 2)
  env   NNODES, NODE_RANK, MASTER_ADDR, PORT for multi-node runs; on one
        node a free port is picked unless PORT or MASTER_ADDR is set
USAGE
    exit 2
}

is_count() {
    [[ $1 =~ ^[1-9][0-9]*$ ]]
}
