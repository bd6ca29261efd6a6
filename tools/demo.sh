#!/usr/bin/env bash
# The demo (make demo): on the synthetic skeletons, pretrain CMD, then
# evaluate each stream by 1-NN and by linear evaluation, the pretrained
# encoders beside randomly initialised ones, fuse the three streams' scores,
# draw the embeddings, print one table. Every step runs this repository's
# tools/ (MMAction2's own train/test scripts); each step's log is kept in
# $DEMO_DIR/logs.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python}
DIR=${DEMO_DIR:-work_dirs/demo}
DATA=${DEMO_DATA:-data/synthetic/synthetic.pkl}
PRETRAIN=configs/cmd/cmd_stgcn-tiny_1xb32-20e_synthetic.py
LINEAR=configs/cmd/benchmarks/cmd_stgcn-tiny_linear-cached-STREAM_1xb32-80e_synthetic-keypoint-3d.py
export CMD_DEMO_ANN_FILE=$DATA PYTHON=$PY
# one thread: on a shared 2-core machine OpenMP's second thread mostly waits
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
mkdir -p "$DIR/logs" "$DIR/scores"

step() {  # step NAME COMMAND...: run quietly into a log, say how long
    local name=$1 start=$SECONDS
    shift
    printf '%-34s' "$name"
    if ! "$@" >"$DIR/logs/$name.log" 2>&1; then
        echo "failed; last lines of $DIR/logs/$name.log:"
        tail -n 25 "$DIR/logs/$name.log"
        exit 1
    fi
    echo "$((SECONDS - start)) s"
}

step data "$PY" tools/data/make_synthetic.py --out "$DATA"
step pretrain bash tools/dist_train.sh "$PRETRAIN" 1 --work-dir "$DIR/pretrain"
CKPT=$DIR/pretrain/epoch_20.pth
for init in cmd random; do
    for stream in joint motion bone; do
        cfg=${LINEAR/STREAM/$stream}
        work=$DIR/linear_${init}_$stream
        opts=()
        [ "$init" = cmd ] && opts=(--cfg-options "model.pretrained=$CKPT")
        step "linear_${init}_$stream" "$PY" tools/train.py "$cfg" \
            --work-dir "$work" "${opts[@]}"
        step "test_${init}_$stream" "$PY" tools/test.py "$cfg" \
            "$work/epoch_80.pth" --work-dir "$work/test" \
            --dump "$DIR/scores/${init}_$stream.pkl"
    done
done
# the honest floor: the same protocols on the raw coordinates themselves
RAW=configs/baselines/raw-coordinates_linear-cached_1xb32-80e_synthetic-keypoint-3d.py
step knn_raw "$PY" tools/analysis_tools/knn_raw_coordinates.py "$PRETRAIN" \
    --json "$DIR/raw_knn.json"
for stream in joint motion bone; do
    work=$DIR/linear_raw_$stream
    step "linear_raw_$stream" "$PY" tools/train.py "$RAW" --work-dir "$work" \
        --cfg-options "model.stream=$stream"
    step "test_raw_$stream" "$PY" tools/test.py "$RAW" "$work/epoch_80.pth" \
        --work-dir "$work/test" --dump "$DIR/scores/raw_$stream.pkl" \
        --cfg-options "model.stream=$stream"
done
step embeddings "$PY" tools/analysis_tools/embedding_tsne.py "$PRETRAIN" \
    "$CKPT" --out "$DIR/embeddings.png"
"$PY" tools/analysis_tools/report.py demo "$DIR" --min-gain 10
