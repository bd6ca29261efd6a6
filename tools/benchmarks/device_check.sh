#!/usr/bin/env bash
# The device check: what a lent GPU must be asked in its first minutes, in
# one command (docs/benchmarks.md, "The device check").
#
#   bash tools/benchmarks/device_check.sh OUT_DIR          # on the GPU
#   bash tools/benchmarks/device_check.sh OUT_DIR --dry    # tiny, on CPU
#
# Writes OUT_DIR/device_check.json and OUT_DIR/device_check.md:
#   - torch / CUDA / cuDNN / NCCL versions and the device;
#   - a 1-process DDP pretraining step through tools/dist_train.sh (NCCL on
#     a GPU, gloo on CPU);
#   - the GRU encoder's two implementations ('native' = cuDNN, 'fused')
#     from the same weights: largest output and gradient differences;
#   - CMD-GRU, CMD-ST-GCN and SCD-Net pretraining steps at the published
#     sizes (benchmark_pretrain.py): time, peak memory, share of the
#     device's measured GEMM rate, in fp32 and with --amp (fp16 + loss
#     scaling on CUDA, bf16 autocast on CPU);
#   - the pretraining DataLoader's clips/s with the real NTU pipeline on
#     NTU-sized synthetic clips, per worker count;
#   - kNN at NTU-120 xsub size (benchmark_knn.py): time, peak memory.
# --dry shrinks every size so the whole check runs on a CPU in about a
# minute; the test suite runs it so the script cannot rot.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:?usage: device_check.sh OUT_DIR [--dry]}
DRY=${2:-}
PY=${PYTHON:-python}
mkdir -p "$OUT"
DEVICE=$($PY -c 'import torch; print("cuda" if torch.cuda.is_available() else "cpu")')
if [ -n "$DRY" ]; then
    STEP_OPTS=(--batch-size 2 --clip-len 8 --repeats 1 --warmup 0 --gemm-size 0)
    SHRINK_GRU=(model.backbone.hidden_size=8 model.neck.in_channels=16 model.neck.hid_channels=16 model.queue_size=16)
    SHRINK_STGCN=(model.backbone.base_channels=4 model.neck.in_channels=16 model.neck.hid_channels=16 model.queue_size=16)
    SHRINK_SCD=("model.backbone.trunk.channels=(8,16,8)" model.backbone.embed_dim=16 skeleton_data.clip_len=8 model.queue_size=16)
    KNN=(--reference 64 --query 32 --dim 16)
    LOADER_CLIPS=8; WORKERS="0"
else
    STEP_OPTS=(--repeats 3 --warmup 2)
    SHRINK_GRU=(); SHRINK_STGCN=(); SHRINK_SCD=()
    KNN=()
    LOADER_CLIPS=512; WORKERS="0 2 4 8"
fi
export CMD_DEVICE_CHECK_DEVICE=$DEVICE

# versions
$PY - "$OUT/env.json" <<'EOF'
import json, sys, torch
info = dict(torch=torch.__version__, cuda=torch.version.cuda,
            cudnn=torch.backends.cudnn.version()
            if torch.backends.cudnn.is_available() else None,
            nccl='.'.join(map(str, torch.cuda.nccl.version()))
            if torch.cuda.is_available() else None,
            device=torch.cuda.get_device_name(0)
            if torch.cuda.is_available() else 'cpu',
            bf16=torch.cuda.is_available() and torch.cuda.is_bf16_supported())
json.dump(info, open(sys.argv[1], 'w'))
EOF

# synthetic NTU-sized data for the DDP step and the loader
$PY tools/data/make_synthetic.py --out "$OUT/synthetic.pkl" >/dev/null

# 1-process DDP pretraining step
start=$SECONDS
if CMD_DEMO_ANN_FILE="$OUT/synthetic.pkl" bash tools/dist_train.sh \
        tests/configs/cmd_tiny_synthetic.py 1 --work-dir "$OUT/ddp" \
        --cfg-options train_cfg.max_epochs=1 >"$OUT/ddp.log" 2>&1; then
    echo "{\"ddp_1_process\": \"ok\", \"seconds\": $((SECONDS - start))}" >"$OUT/ddp.json"
else
    echo "{\"ddp_1_process\": \"failed, see ddp.log\"}" >"$OUT/ddp.json"
fi

# the GRU encoder's two implementations from the same weights
$PY - "$OUT/gru.json" "$DRY" <<'EOF'
import json, os, sys, torch
import cmd_plugin  # noqa: F401
from mmaction.registry import MODELS
device = torch.device(os.environ['CMD_DEVICE_CHECK_DEVICE'])
dry = sys.argv[2] == '--dry'
hidden, n, t = (8, 2, 8) if dry else (1024, 64, 64)
outs = {}
for impl in ('fused', 'native'):
    torch.manual_seed(0)
    enc = MODELS.build(dict(type='GRUEncoder', hidden_size=hidden,
                            num_layers=3, impl=impl)).to(device)
    x = torch.randn(n, 2, t, 25, 3, generator=torch.Generator().manual_seed(1)).to(device)
    y = enc(x)
    y.square().sum().backward()
    outs[impl] = (y.detach(), {k: p.grad.detach() for k, p in enc.named_parameters()})
out_diff = (outs['fused'][0] - outs['native'][0]).abs().max().item()
grad_diff = max((outs['fused'][1][k] - outs['native'][1][k]).abs().max().item()
                for k in outs['fused'][1])
json.dump(dict(gru_max_output_diff=out_diff, gru_max_grad_diff=grad_diff),
          open(sys.argv[1], 'w'))
EOF

# pretraining steps at the published sizes, fp32 and --amp
step() {  # NAME CONFIG AMP SHRINK...
    local name=$1 config=$2 amp=$3
    shift 3
    local opts=()
    [ $# -gt 0 ] && opts=(--cfg-options "$@")
    $PY tools/benchmarks/benchmark_pretrain.py "$config" \
        --device "$DEVICE" ${amp:+--amp} "${STEP_OPTS[@]}" "${opts[@]}" \
        --out "$OUT/step_$name.json" >"$OUT/step_$name.log" 2>&1 \
        || echo "{\"failed\": \"see step_$name.log\"}" >"$OUT/step_$name.json"
}
for amp in "" 1; do
    tag=fp32; [ -n "$amp" ] && tag=amp
    step "cmd-gru_$tag" configs/cmd/cmd_gru_1xb64-451e_ntu60-xsub-keypoint-3d.py "$amp" "${SHRINK_GRU[@]}"
    step "cmd-stgcn_$tag" configs/cmd/cmd_stgcn_8xb8-451e_ntu60-xsub-keypoint-3d.py "$amp" "${SHRINK_STGCN[@]}"
    step "scdnet_$tag" configs/scdnet/scdnet_ctrgcn_1xb64-451e_ntu60-xsub-keypoint-3d.py "$amp" "${SHRINK_SCD[@]}"
done

# the pretraining DataLoader: clips/s per worker count
$PY - "$OUT/loader.json" "$OUT/synthetic.pkl" "$LOADER_CLIPS" $WORKERS <<'EOF'
import json, sys, time
import cmd_plugin  # noqa: F401
from mmengine.config import Config
from mmengine.runner import Runner
from mmaction.utils import register_all_modules
from cmd_plugin.launch.settled_config import settle_config
register_all_modules()
out, pkl, clips = sys.argv[1], sys.argv[2], int(sys.argv[3])
result = {}
for workers in map(int, sys.argv[4:]):
    cfg = Config.fromfile('configs/cmd_ntu60.py')
    # NTU's block (clip length, persons, crops) on the synthetic clips
    cfg.skeleton_data.update(ann_file=pkl, train_split='train',
                             val_split='val', num_classes=None)
    settle_config(cfg)
    loader_cfg = dict(cfg.train_dataloader, num_workers=workers,
                      persistent_workers=False)
    loader = Runner.build_dataloader(loader_cfg, seed=0)
    seen, start = 0, time.perf_counter()
    while seen < clips:
        for batch in loader:
            seen += len(batch['inputs'])
            if seen >= clips:
                break
    result[f'workers_{workers}'] = seen / (time.perf_counter() - start)
json.dump(dict(loader_clips_per_s=result), open(out, 'w'))
EOF

# kNN at NTU-120 xsub size
$PY tools/benchmarks/benchmark_knn.py --device "$DEVICE" "${KNN[@]}" \
    >"$OUT/knn.log" 2>&1 || echo "kNN benchmark failed" >>"$OUT/knn.log"

# one JSON, one table
$PY - "$OUT" <<'EOF'
import glob, json, os, sys
out = sys.argv[1]
report = {}
for name in ('env', 'ddp', 'gru', 'loader'):
    with open(os.path.join(out, f'{name}.json')) as f:
        report[name] = json.load(f)
report['steps'] = {}
for path in sorted(glob.glob(os.path.join(out, 'step_*.json'))):
    with open(path) as f:
        data = json.load(f)
    name = os.path.basename(path)[len('step_'):-len('.json')]
    row = data.get('variants', {}).get('default', data)
    report['steps'][name] = row
with open(os.path.join(out, 'knn.log')) as f:
    report['knn'] = [ln for ln in f.read().splitlines() if ln.startswith('|')]
with open(os.path.join(out, 'device_check.json'), 'w') as f:
    json.dump(report, f, indent=1)
env = report['env']
lines = [f"device: {env['device']} (torch {env['torch']}, CUDA {env['cuda']}, "
         f"cuDNN {env['cudnn']}, NCCL {env['nccl']}, bf16 {env['bf16']})",
         f"1-process DDP step: {report['ddp'].get('ddp_1_process')}",
         'GRU native vs fused, largest difference: output '
         f"{report['gru']['gru_max_output_diff']:.2e}, gradient "
         f"{report['gru']['gru_max_grad_diff']:.2e}", '',
         '| step | s/step | peak MiB | share of GEMM rate |', '|---|---|---|---|']
for name, row in report['steps'].items():
    if 'failed' in row:
        lines.append(f'| {name} | failed | | |')
        continue
    share = row.get('fraction_of_run_gemm')
    lines.append(f"| {name} | {row['step_time_s']:.4f} | {row['peak_mib']:.0f} | "
                 + (f'{share:.1%}' if share is not None else '-') + ' |')
lines += ['', '| loader workers | clips/s |', '|---|---|']
for name, rate in report['loader']['loader_clips_per_s'].items():
    lines.append(f"| {name.split('_')[1]} | {rate:.0f} |")
lines += ['', 'kNN (NTU-120 xsub size unless --dry):'] + report['knn']
with open(os.path.join(out, 'device_check.md'), 'w') as f:
    f.write('\n'.join(lines) + '\n')
print('\n'.join(lines))
EOF
