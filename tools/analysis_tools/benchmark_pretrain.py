"""Benchmark CMD pretraining steps and the GRU encoder formulations.

Measures, at the published batch (64) and clip length (64 frames, NTU:
M=2, V=25, C=3) unless shrunk:

* ``cmd-gru``       -- a whole CMD training step (3 query encoders forward +
  backward, 3 EMA key encoders, InfoNCE + 6 distillation losses, enqueue,
  SGD step) with the sequence-form :class:`GRUEncoder`;
* ``cmd-gru-frame`` -- the same step with a frame-loop encoder (one
  ``gru_cell`` per cell per frame carrying the hidden state, the published
  code's formulation) holding the same parameters;
* ``cmd-stgcn``     -- the same step with MMAction2's ST-GCN;
* ``gru-seq`` / ``gru-frame`` / ``gru-native`` -- one encoder forward +
  backward: sequence form (the default implementation for the device),
  frame loop, and a plain ``nn.GRU`` call per cell.

Every measurement runs in a fresh subprocess, so ``ru_maxrss`` (peak
resident memory, per process) is that variant's own peak. Runs are
interleaved (round r runs every variant once, in the same order) and
medians over rounds are reported. Each worker also times a 4096x4096
float32 matmul right after its step timings, so every step time has a GEMM
rate measured minutes apart at most, on the same (shared, noisy) machine.

FLOP accounting (analytic, GEMMs only; gate arithmetic, BatchNorm,
softmax, optimizer and EMA updates are real work but not counted):

* GRU encoder forward, per sample and frame: for each layer l and each of
  its 2 cells, ``2 * 3H * (I_l + H)`` FLOPs (input and hidden products;
  I_1 = V*C*M, I_l = 2H above). Backward = 2 x forward (dX and dW for
  every product; layer 1's dX is needed for BatchNorm's affine grads).
* projection neck forward, per sample: ``2 * (2048*2048 + 2048*128)``.
* CMD step = per modality 3 x (encoder + neck) forward for the query side
  (forward + backward) + 1 x forward for the EMA key side, plus the
  loss-side products against the queues (InfoNCE q.Q forward + backward;
  per distilled pair k.Q forward, q.Q forward + backward), which are
  about 0.15% of the step at the default size.

Achieved throughput = counted FLOPs of one step / step time; reported as a
fraction of the GEMM rate.

Examples::

    # everything at the published size (slow on a small CPU)
    python tools/analysis_tools/benchmark_pretrain.py --repeats 5 --iters 1
    # quick check
    python tools/analysis_tools/benchmark_pretrain.py --batch 8 --clip-len 16 \\
        --hidden 256 --repeats 3 --variants gru-seq,gru-frame
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from typing import Callable, Dict, List, Optional

ENCODER_VARIANTS = ('gru-seq', 'gru-frame', 'gru-native')
CMD_VARIANTS = ('cmd-gru', 'cmd-gru-frame', 'cmd-stgcn')
ALL_VARIANTS = ENCODER_VARIANTS + CMD_VARIANTS
DEFAULT_VARIANTS = ('gru-seq', 'gru-frame', 'cmd-gru', 'cmd-gru-frame',
                    'cmd-stgcn')
# Speed-up pairs reported as "sequence form vs frame loop".
PAIRS = (('gru-seq', 'gru-frame'), ('cmd-gru', 'cmd-gru-frame'),
         ('gru-seq', 'gru-native'))


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description='CMD pretraining throughput and peak memory: whole '
        'training steps (GRU, frame-loop GRU, ST-GCN) and encoder-only '
        'forward+backward, interleaved, each in a fresh subprocess, with '
        'a 4096^2 GEMM reference measured in the same run.',
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--batch', type=int, default=64,
                        help='samples per step (published: 64)')
    parser.add_argument('--clip-len', type=int, default=64,
                        help='frames T (published: 64)')
    parser.add_argument('--num-person', type=int, default=2)
    parser.add_argument('--num-joints', type=int, default=25,
                        help='V; 25 uses the nturgb+d layout')
    parser.add_argument('--hidden', type=int, default=1024,
                        help='GRU hidden size (published: 1024)')
    parser.add_argument('--layers', type=int, default=3,
                        help='GRU layers (published: 3)')
    parser.add_argument('--queue-size', type=int, default=16384,
                        help='K; rounded down to a multiple of --batch')
    parser.add_argument('--iters', type=int, default=1,
                        help='timed iterations per run')
    parser.add_argument('--warmup', type=int, default=1,
                        help='untimed iterations before timing')
    parser.add_argument('--repeats', type=int, default=5,
                        help='interleaved rounds; medians over rounds')
    parser.add_argument('--gemm-size', type=int, default=4096,
                        help='square float32 matmul size of the reference')
    parser.add_argument('--gemm-reps', type=int, default=3,
                        help='timed matmuls per GEMM probe (median); a probe '
                        'runs before the first and after every measurement')
    parser.add_argument('--device', choices=('cpu', 'cuda'), default='cpu')
    parser.add_argument('--threads', type=int, default=None,
                        help='torch.set_num_threads in workers (default: '
                        "torch's own choice)")
    parser.add_argument(
        '--omp-wait-policy', choices=('PASSIVE', 'ACTIVE', 'inherit'),
        default='PASSIVE',
        help='OMP_WAIT_POLICY of the workers. On a shared, oversubscribed '
        'machine idle OpenMP threads that spin steal the CPU from their own '
        'stragglers; PASSIVE makes them sleep. It matters little for one '
        'large GEMM but a lot for a recurrence with thousands of short '
        'parallel regions. "inherit" keeps the calling environment.')
    parser.add_argument('--variants', default=','.join(DEFAULT_VARIANTS),
                        help='comma-separated subset of '
                        + ','.join(ALL_VARIANTS))
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', default=None,
                        help='write all raw results and summaries as JSON')
    parser.add_argument('--worker', default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    variants = [v for v in args.variants.split(',') if v]
    unknown = sorted(set(variants) - set(ALL_VARIANTS))
    if unknown:
        parser.error(f'unknown variants {unknown}; choose from '
                     f'{list(ALL_VARIANTS)}')
    args.variant_list = variants
    for key in ('batch', 'clip_len', 'hidden', 'layers', 'iters', 'repeats',
                'gemm_size', 'gemm_reps', 'num_person', 'num_joints'):
        if getattr(args, key) < 1:
            parser.error(f'--{key.replace("_", "-")} must be >= 1')
    if args.warmup < 0:
        parser.error('--warmup must be >= 0')
    args.queue_size = max(args.batch,
                          (args.queue_size // args.batch) * args.batch)
    return args


# --------------------------------------------------------------------- #
# FLOP accounting
# --------------------------------------------------------------------- #
def gru_forward_flops(num_features: int, hidden: int, layers: int,
                      frames: int, batch: int) -> int:
    """GEMM FLOPs of one GRU encoder forward (2 cells per layer).

    Args:
        num_features (int): Per-frame input features V*C*M.
        hidden (int): Hidden size H of each cell.
        layers (int): Number of paired layers.
        frames (int): T.
        batch (int): N.

    Returns:
        int: FLOPs (2 per multiply-add).
    """
    per_frame = 0
    for layer in range(layers):
        in_size = num_features if layer == 0 else 2 * hidden
        per_frame += 2 * (2 * 3 * hidden * (in_size + hidden))
    return per_frame * frames * batch


def neck_forward_flops(in_channels: int, hidden: int, out: int,
                       batch: int) -> int:
    """GEMM FLOPs of the Linear-ReLU-Linear projection head forward."""
    return 2 * batch * (in_channels * hidden + hidden * out)


def cmd_step_flops(args: argparse.Namespace, num_modalities: int = 3,
                   num_pairs: int = 6, feat_dim: int = 128) -> Dict[str,
                                                                   float]:
    """Counted FLOPs of one CMD-GRU training step, by part."""
    feats = args.num_joints * 3 * args.num_person
    enc = gru_forward_flops(feats, args.hidden, args.layers, args.clip_len,
                            args.batch)
    neck = neck_forward_flops(2 * args.hidden, 2 * args.hidden, feat_dim,
                              args.batch)
    sim = 2 * args.batch * feat_dim * args.queue_size  # one (N,D)@(D,K)
    parts = {
        # query side: forward + backward (2x); key side: forward only.
        'encoders': num_modalities * (3 + 1) * enc,
        'necks': num_modalities * (3 + 1) * neck,
        # InfoNCE: q.Q fwd + dq; distillation: k.Q fwd, q.Q fwd + dq.
        'losses': num_modalities * 2 * sim + num_pairs * 3 * sim,
    }
    parts['total'] = sum(parts.values())
    return parts


def encoder_step_flops(args: argparse.Namespace) -> Dict[str, float]:
    """Counted FLOPs of one encoder forward + backward."""
    feats = args.num_joints * 3 * args.num_person
    enc = gru_forward_flops(feats, args.hidden, args.layers, args.clip_len,
                            args.batch)
    return {'encoders': 3 * enc, 'total': 3 * enc}


# --------------------------------------------------------------------- #
# worker side
# --------------------------------------------------------------------- #
def _register_frame_loop_encoder():
    """Register ``FrameLoopGRUEncoder``: same parameters as GRUEncoder,
    recurrence run one frame at a time with one ``gru_cell`` per cell
    (what ``nn.GRUCell`` calls), as the published code does."""
    import torch
    from torch import Tensor

    from cmd_plugin.models.backbones.gru_encoder import (GRUEncoder,
                                                         gru_cell_weights)
    from mmaction.registry import MODELS

    class FrameLoopGRUEncoder(GRUEncoder):
        """Frame-by-frame formulation of :class:`GRUEncoder` (benchmark
        baseline; paired-forward direction only)."""

        def forward_sequence(self, feats: Tensor) -> Tensor:
            """Returns only the last frame, as (1, N, 2H)."""
            if self.direction != 'paired_forward':
                raise ValueError('the frame loop runs forwards in time only')
            weights = gru_cell_weights(self)
            batch = feats.shape[1]
            state = [[feats.new_zeros(batch, self.hidden_size)
                      for _ in range(2)] for _ in weights]
            top = None
            for t in range(feats.shape[0]):
                inp = feats[t]
                for layer, cells in enumerate(weights):
                    for c, (w_ih, w_hh, b_ih, b_hh) in enumerate(cells):
                        state[layer][c] = torch.ops.aten.gru_cell(
                            inp, state[layer][c], w_ih, w_hh, b_ih, b_hh)
                    inp = torch.cat(state[layer], dim=1)
                top = inp
            return top.unsqueeze(0)

    MODELS.register_module(
        name='FrameLoopGRUEncoder', module=FrameLoopGRUEncoder, force=True)


def _sync(device) -> None:
    import torch
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def _gemm_probe(size: int, reps: int, device) -> Dict[str, float]:
    """Median float32 matmul rate over ``reps`` timed runs, by wall clock
    and by process CPU time (all threads)."""
    import torch
    gen = torch.Generator(device='cpu').manual_seed(1)
    a = torch.randn(size, size, generator=gen).to(device)
    b = torch.randn(size, size, generator=gen).to(device)
    out = torch.empty(size, size, device=device)
    torch.mm(a, b, out=out)
    _sync(device)
    walls, cpus = [], []
    for _ in range(reps):
        wall, cpu = time.perf_counter(), time.process_time()
        torch.mm(a, b, out=out)
        _sync(device)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    flop = 2 * size**3
    return {
        'gemm_gflops': flop / statistics.median(walls) / 1e9,
        'gemm_gflop_per_cpu_s': flop / statistics.median(cpus) / 1e9,
        'threads': torch.get_num_threads(),
        'loadavg_1min': os.getloadavg()[0],
    }


def _build_step(args: argparse.Namespace, variant: str,
                device) -> Callable[[], None]:
    """Build one variant's model and return its training-step closure."""
    import torch
    from mmengine.optim import OptimWrapper

    import cmd_plugin  # noqa: F401  (registers the plugin's modules)
    from mmaction.registry import MODELS

    _register_frame_loop_encoder()
    torch.manual_seed(args.seed)
    gen = torch.Generator(device='cpu').manual_seed(args.seed)
    gru_cfg = dict(
        in_channels=3,
        num_joints=args.num_joints,
        num_person=args.num_person,
        hidden_size=args.hidden,
        num_layers=args.layers)

    if variant in ENCODER_VARIANTS:
        kind = {'gru-seq': 'GRUEncoder', 'gru-frame': 'FrameLoopGRUEncoder',
                'gru-native': 'GRUEncoder'}[variant]
        impl = 'native' if variant == 'gru-native' else 'auto'
        model = MODELS.build(dict(type=kind, impl=impl, **gru_cfg))
        model.to(device).train()
        x = torch.randn(args.batch, args.num_person, args.clip_len,
                        args.num_joints, 3, generator=gen).to(device)

        def step() -> None:
            model.zero_grad(set_to_none=True)
            model(x).sum().backward()

        return step

    if variant == 'cmd-stgcn':
        layout = 'nturgb+d' if args.num_joints == 25 else None
        if layout is None:
            raise ValueError('cmd-stgcn needs --num-joints 25 (NTU graph)')
        backbone = dict(
            type='STGCN',
            graph_cfg=dict(layout=layout, mode='stgcn_spatial'))
        neck = dict(type='SkeletonProjectionNeck', in_channels=256,
                    hid_channels=256, out_channels=128)
    else:
        kind = 'GRUEncoder' if variant == 'cmd-gru' else \
            'FrameLoopGRUEncoder'
        backbone = dict(type=kind, **gru_cfg)
        neck = dict(type='SkeletonProjectionNeck',
                    in_channels=2 * args.hidden,
                    hid_channels=2 * args.hidden, out_channels=128)
    if args.num_joints == 25:
        layout = 'nturgb+d'
    else:
        # A chain skeleton: only the bone modality's parents matter here.
        layout = dict(num_node=args.num_joints,
                      parents=[max(v - 1, 0)
                               for v in range(args.num_joints)])
    model = MODELS.build(
        dict(
            type='CMD',
            backbone=backbone,
            neck=neck,
            layout=layout,
            queue_size=args.queue_size,
            feat_dim=128,
            distill_loss=dict(
                type='MutualDistillationLoss',
                teacher_temperature=0.05,
                student_temperature=0.1,
                topk=args.queue_size // 2,
                loss_weight=1.0)))
    model.to(device).train()
    # Published schedule: SGD, momentum 0.9, weight decay 1e-4, lr 0.01.
    optim = OptimWrapper(
        torch.optim.SGD(
            [p for p in model.parameters() if p.requires_grad],
            lr=0.01, momentum=0.9, weight_decay=1e-4))
    x = torch.randn(args.batch, 2, args.num_person, args.clip_len,
                    args.num_joints, 3, generator=gen).to(device)

    def step() -> None:
        # BaseModel.train_step minus the data preprocessor.
        losses = model(x, mode='loss')
        loss, _ = model.parse_losses(losses)
        optim.update_params(loss)

    return step


def run_worker(args: argparse.Namespace) -> Dict:
    """Time one variant (or the GEMM reference) in this process; return a
    JSON-able record."""
    import torch
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    if args.worker == 'gemm':
        return dict(variant='gemm', **_gemm_probe(args.gemm_size,
                                                  args.gemm_reps, device))
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    step = _build_step(args, args.worker, device)
    for _ in range(args.warmup):
        step()
    _sync(device)
    walls, cpus = [], []
    for _ in range(args.iters):
        wall, cpu = time.perf_counter(), time.process_time()
        step()
        _sync(device)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    record = {
        'variant': args.worker,
        'step_times_s': walls,
        'step_time_s': sum(walls) / len(walls),
        'step_cpu_s': sum(cpus) / len(cpus),
        'peak_rss_mib': peak_kb / 1024,
        'rss_after_imports_mib': rss_start / 1024,
        'threads': torch.get_num_threads(),
        'omp_wait_policy': os.environ.get('OMP_WAIT_POLICY', ''),
        'loadavg_1min': os.getloadavg()[0],
    }
    if device.type == 'cuda':
        record['cuda_max_allocated_mib'] = (
            torch.cuda.max_memory_allocated(device) / 2**20)
    if args.worker.startswith('cmd-gru'):
        record['flops'] = cmd_step_flops(args)
    elif args.worker in ENCODER_VARIANTS:
        record['flops'] = encoder_step_flops(args)
    if 'flops' in record:
        total = record['flops']['total']
        record['achieved_gflops'] = total / record['step_time_s'] / 1e9
        record['achieved_gflop_per_cpu_s'] = (
            total / record['step_cpu_s'] / 1e9)
    return record


def attach_gemm(record: Dict, before: Dict, after: Dict) -> None:
    """Give a step record the mean of the GEMM probes run just before and
    just after it, and the resulting fractions."""
    record['gemm_gflops'] = (before['gemm_gflops'] +
                             after['gemm_gflops']) / 2
    record['gemm_gflop_per_cpu_s'] = (before['gemm_gflop_per_cpu_s'] +
                                      after['gemm_gflop_per_cpu_s']) / 2
    if 'achieved_gflops' in record:
        record['fraction_of_gemm'] = (
            record['achieved_gflops'] / record['gemm_gflops'])
        record['cpu_fraction_of_gemm'] = (
            record['achieved_gflop_per_cpu_s'] /
            record['gemm_gflop_per_cpu_s'])


# --------------------------------------------------------------------- #
# driver side
# --------------------------------------------------------------------- #
def _worker_argv(argv: List[str], variant: str) -> List[str]:
    return [sys.executable, os.path.abspath(__file__), *argv, '--worker',
            variant]


def _worker_env(args: argparse.Namespace) -> Dict[str, str]:
    env = dict(os.environ)
    # OpenMP reads this once at start-up: it must be in the worker's env.
    if args.omp_wait_policy != 'inherit':
        env['OMP_WAIT_POLICY'] = args.omp_wait_policy
    return env


def _median(values: List[float]) -> float:
    return statistics.median(values) if values else float('nan')


def summarise(records: List[Dict], gemms: List[Dict],
              variants: List[str]) -> Dict:
    """Medians per variant and sequence-vs-frame-loop ratios."""
    summary: Dict[str, Dict] = {}
    gemm_median = _median([g['gemm_gflops'] for g in gemms])
    for v in variants:
        rs = [r for r in records if r['variant'] == v]
        if not rs:
            continue
        entry = {
            'runs': len(rs),
            'step_time_s': _median([r['step_time_s'] for r in rs]),
            'step_cpu_s': _median([r['step_cpu_s'] for r in rs]),
            'peak_rss_mib': _median([r['peak_rss_mib'] for r in rs]),
            'gemm_gflops': _median([r['gemm_gflops'] for r in rs]),
            'loadavg_1min': _median([r['loadavg_1min'] for r in rs]),
        }
        entry['iters_per_s'] = 1.0 / entry['step_time_s']
        if 'flops' in rs[0]:
            total = rs[0]['flops']['total']
            entry['gflop_per_step'] = total / 1e9
            entry['achieved_gflops'] = total / entry['step_time_s'] / 1e9
            # Run-level: median step rate over the median of all probes.
            entry['fraction_of_run_gemm'] = (
                entry['achieved_gflops'] / gemm_median)
            # Paired: each run against its neighbouring probes.
            entry['fraction_of_adjacent_gemm'] = _median(
                [r['fraction_of_gemm'] for r in rs])
            entry['cpu_fraction_of_gemm'] = _median(
                [r['cpu_fraction_of_gemm'] for r in rs])
        summary[v] = entry
    ratios = {}
    for fast, slow in PAIRS:
        if fast in summary and slow in summary:
            by_round = {}
            for r in records:
                by_round.setdefault(r['round'], {})[r['variant']] = r
            per_round = [
                rr[slow]['step_time_s'] / rr[fast]['step_time_s']
                for rr in by_round.values() if fast in rr and slow in rr
            ]
            per_round_cpu = [
                rr[slow]['step_cpu_s'] / rr[fast]['step_cpu_s']
                for rr in by_round.values() if fast in rr and slow in rr
            ]
            ratios[f'{slow} / {fast}'] = {
                'ratio_of_medians': summary[slow]['step_time_s'] /
                summary[fast]['step_time_s'],
                'median_of_round_ratios': _median(per_round),
                'round_ratios': per_round,
                'cpu_time_ratio_of_medians': summary[slow]['step_cpu_s'] /
                summary[fast]['step_cpu_s'],
                'cpu_time_round_ratios': per_round_cpu,
            }
    return {
        'variants': summary,
        'speedups': ratios,
        'gemm_gflops_run_median': gemm_median,
        'gemm_gflop_per_cpu_s_run_median': _median(
            [g['gemm_gflop_per_cpu_s'] for g in gemms]),
        'gemm_probes': len(gemms),
    }


def format_report(args: argparse.Namespace, result: Dict) -> str:
    """Markdown tables of the summary."""
    lines = [
        f'batch={args.batch} clip_len={args.clip_len} M={args.num_person} '
        f'V={args.num_joints} hidden={args.hidden} layers={args.layers} '
        f'queue={args.queue_size} device={args.device} iters={args.iters} '
        f'warmup={args.warmup} repeats={args.repeats} '
        f'threads={args.threads or "default"} '
        f'OMP_WAIT_POLICY={args.omp_wait_policy}', '',
        '| variant | runs | step s (median) | it/s | peak RSS MiB | '
        'GFLOP/step | achieved GFLOP/s | / run GEMM | / adjacent GEMM '
        '(median) | CPU-time efficiency vs GEMM | load (1 min) |',
        '|---|---|---|---|---|---|---|---|---|---|---|'
    ]
    for v, e in result['variants'].items():
        if 'gflop_per_step' in e:
            flop = (f"{e['gflop_per_step']:.1f} | {e['achieved_gflops']:.1f}"
                    f" | {e['fraction_of_run_gemm']:.1%} | "
                    f"{e['fraction_of_adjacent_gemm']:.1%} | "
                    f"{e['cpu_fraction_of_gemm']:.1%}")
        else:
            flop = 'n/a | n/a | n/a | n/a | n/a'
        lines.append(
            f"| {v} | {e['runs']} | {e['step_time_s']:.3f} | "
            f"{e['iters_per_s']:.4f} | {e['peak_rss_mib']:.0f} | {flop} | "
            f"{e['loadavg_1min']:.1f} |")
    if result['speedups']:
        lines += ['', '| speed-up | ratio of median step times | median of '
                  'per-round ratios | per-round (wall) | CPU-time ratio of '
                  'medians |', '|---|---|---|---|---|']
        for k, r in result['speedups'].items():
            rounds = ', '.join(f'{x:.2f}' for x in r['round_ratios'])
            lines.append(f"| {k} | {r['ratio_of_medians']:.2f}x | "
                         f"{r['median_of_round_ratios']:.2f}x | {rounds} | "
                         f"{r['cpu_time_ratio_of_medians']:.2f}x |")
    lines += [
        '', f"GEMM reference ({args.gemm_size}^2 float32 matmul, "
        f"{result['gemm_probes']} probes interleaved with the runs): median "
        f"{result['gemm_gflops_run_median']:.1f} GFLOP/s wall, "
        f"{result['gemm_gflop_per_cpu_s_run_median']:.1f} GFLOP per CPU-s"
    ]
    return '\n'.join(lines)


def machine_info(device: str) -> Dict:
    """Torch build and thread settings of a fresh process."""
    import torch
    info = {
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'mkldnn': torch.backends.mkldnn.is_available(),
        'mkl': torch.backends.mkl.is_available(),
        'cpu_count': os.cpu_count(),
        'cpu_capability': torch.backends.cpu.get_cpu_capability(),
    }
    if device == 'cuda' and torch.cuda.is_available():
        info['gpu'] = torch.cuda.get_device_name(0)
        info['cudnn'] = torch.backends.cudnn.version()
    return info


def main(argv: Optional[List[str]] = None) -> None:
    """Driver: spawn interleaved workers, print and save the summary."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if args.worker is not None:
        print('RESULT ' + json.dumps(run_worker(args)), flush=True)
        return
    info = machine_info(args.device)
    print('machine:', json.dumps(info), flush=True)
    records, gemms = [], []

    def spawn(variant: str, rnd: int) -> Dict:
        proc = subprocess.run(
            _worker_argv(argv, variant), capture_output=True, text=True,
            env=_worker_env(args))
        lines = [ln for ln in proc.stdout.splitlines()
                 if ln.startswith('RESULT ')]
        if proc.returncode != 0 or not lines:
            sys.stderr.write(proc.stdout + proc.stderr)
            raise RuntimeError(f'worker {variant} failed (round {rnd})')
        rec = json.loads(lines[-1][len('RESULT '):])
        rec['round'] = rnd
        return rec

    # G A G B G A G B ... G: every run sits between two GEMM probes.
    gemms.append(spawn('gemm', 0))
    for rnd in range(args.repeats):
        for variant in args.variant_list:
            rec = spawn(variant, rnd)
            gemms.append(spawn('gemm', rnd))
            attach_gemm(rec, gemms[-2], gemms[-1])
            records.append(rec)
            frac = rec.get('fraction_of_gemm')
            print(f"round {rnd} {variant}: step {rec['step_time_s']:.3f}s "
                  f"(CPU {rec['step_cpu_s']:.1f}s), peak "
                  f"{rec['peak_rss_mib']:.0f} MiB, GEMM "
                  f"{rec['gemm_gflops']:.1f} GFLOP/s"
                  + (f', {frac:.1%} of GEMM' if frac is not None else '')
                  + f", load {rec['loadavg_1min']:.2f}", flush=True)
    result = summarise(records, gemms, args.variant_list)
    print()
    print(format_report(args, result))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump({'args': {k: v for k, v in vars(args).items()},
                       'machine': info, 'records': records,
                       'gemm_probes': gemms, **result},
                      f, indent=2)


if __name__ == '__main__':
    main()
