"""Time one pretraining step of a config: forward, backward, optimizer step.

The model is ``cfg.model`` of CONFIG (after ``--cfg-options``), built with
MMAction2's registry, so any registered method is benchmarked without
editing this tool. Inputs are synthetic (N, 2, M, T, V, C) skeletons (query
and key view): N is ``--batch-size`` (default: the config's
``train_dataloader.batch_size``), T ``--clip-len``, V and M the model's.
``--encoder-only`` builds ``cfg.model.backbone`` alone and feeds it
(N, M, T, V, C), with the output sum as the loss.

``--variant NAME[@CONFIG]=K=V,K=V`` (repeatable) adds cfg-options per
variant, e.g. the frame-loop baseline of the GRU encoder:
``--variant seq= --variant frame=model.backbone.type=FrameLoopGRUEncoder``.
Every measurement runs in a fresh subprocess (so its peak RSS is its own);
rounds are interleaved (A B A B ...) and medians over rounds reported. A
float32 GEMM probe (``--gemm-size``; 0 turns it off) runs before the first
and after every measurement, so each step has a GEMM rate measured next to
it. FLOPs are counted analytically for GRU encoders
(``cmd_plugin.analysis.flops``, method in ``docs/benchmarks_gru.md``); for
every other model (ST-GCN, SCD-Net's CTR-GCN trunks and transformer layers)
torch's ``FlopCounterMode`` counts one forward + backward of the step.

Examples::

    python tools/benchmarks/benchmark_pretrain.py \\
        configs/cmd/cmd_gru_1xb64-451e_ntu60-xsub-keypoint-3d.py \\
        --cfg-options model.queue_size=1024 --batch-size 8 --clip-len 16
    python tools/benchmarks/benchmark_pretrain.py CONFIG --encoder-only \\
        --variant seq= --variant frame=model.backbone.type=FrameLoopGRUEncoder
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from typing import Dict, List, Optional, Tuple

from mmengine.config import Config, DictAction

from cmd_plugin.launch.settled_config import settle_config
# registers FrameLoopGRUEncoder (the GRU baseline variant) beside the
# plugin's encoders; a benchmark reference, so it lives here, not in the
# package
import frame_loop_gru_encoder  # noqa: E402,F401

# The published optimizer; its cost is the same for any lr.
SGD = dict(lr=0.01, momentum=0.9, weight_decay=1e-4)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('config', help='config whose cfg.model is timed')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        default={}, help='overrides for every variant')
    parser.add_argument(
        '--variant', action='append', default=[],
        help='NAME[@CONFIG]=K=V,K=V: extra cfg-options (may be empty: '
        'NAME=), optionally another config; default: one plain variant')
    parser.add_argument('--encoder-only', action='store_true',
                        help='time cfg.model.backbone alone')
    parser.add_argument('--batch-size', type=int, default=None,
                        help='N (default: train_dataloader.batch_size)')
    parser.add_argument('--clip-len', type=int, default=None,
                        help="T (default: the encoder's clip_len, or 64)")
    parser.add_argument('--num-person', type=int, default=None,
                        help="M (default: the backbone's num_person, or 2)")
    parser.add_argument('--device', choices=('cpu', 'cuda'), default='cpu')
    parser.add_argument('--amp', action='store_true',
                        help='CUDA: AmpOptimWrapper (fp16, loss scaling); '
                        'CPU: bfloat16 autocast')
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--iters', type=int, default=1,
                        help='timed steps per measurement (mean)')
    parser.add_argument('--repeats', type=int, default=5,
                        help='interleaved rounds; medians over rounds')
    parser.add_argument('--gemm-size', type=int, default=4096,
                        help='square float32 matmul probe; 0: none')
    parser.add_argument('--gemm-reps', type=int, default=3)
    parser.add_argument('--threads', type=int, default=None,
                        help='torch.set_num_threads in the workers')
    parser.add_argument(
        '--omp-wait-policy', choices=('PASSIVE', 'ACTIVE', 'inherit'),
        default='PASSIVE',
        help='OMP_WAIT_POLICY of the workers: on a shared machine spinning '
        'idle OpenMP threads steal CPU from a recurrence with thousands of '
        'short parallel regions; PASSIVE makes them sleep')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', default=None, help='write JSON results')
    parser.add_argument('--worker', default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for key in ('clip_len', 'iters', 'repeats', 'gemm_reps'):
        if getattr(args, key) is not None and getattr(args, key) < 1:
            parser.error(f'--{key.replace("_", "-")} must be >= 1')
    args.variants = [_parse_variant(parser, s, args.config)
                     for s in args.variant or ['default=']]
    names = [name for name, _, _ in args.variants]
    if len(set(names)) != len(names):
        parser.error(f'--variant names must be unique, got {names}')
    return args


def _parse_variant(parser, spec: str, config: str) -> Tuple[str, str, Dict]:
    head, sep, opts = spec.partition('=')
    name, _, other = head.partition('@')
    if not sep or not name:
        parser.error(f'--variant {spec!r}: write NAME=K=V,K=V or NAME=')
    sub = argparse.ArgumentParser()
    sub.add_argument('--o', nargs='*', action=DictAction, default={})
    options = sub.parse_args(['--o', *[o for o in opts.split(',') if o]]).o
    return name, other or config, options


def load_cfg(config: str, *options: Dict) -> Tuple[Config, List[str]]:
    """The config with the options merged in order; notes on changes."""
    cfg = Config.fromfile(config)
    notes = []
    for opts in options:
        cfg.merge_from_dict(opts)
    settle_config(cfg)
    model = cfg.get('model')
    if model is None:
        raise ValueError(f'{config} has no `model` dict to benchmark')
    return cfg, notes


def _first_int(modules, names) -> Optional[int]:
    for module in modules:
        for name in names:
            owner, _, attr = name.rpartition('.')
            obj = getattr(module, owner, None) if owner else module
            value = getattr(obj, attr, None)
            if isinstance(value, int):
                return value
    return None


def count_flops(model, encoder_only: bool, batch: int,
                frames: int) -> Optional[Dict[str, int]]:
    """Counted GEMM FLOPs of one step, or None for backbones without an
    analytic count (only the GRU encoder has one)."""
    from torch import nn

    from cmd_plugin.models.backbones import GRUEncoder
    from cmd_plugin.analysis import flops

    def encoder(m):
        return flops.gru_forward_flops(m.num_features, m.hidden_size,
                                       m.num_layers, frames, batch)

    if encoder_only:
        return (flops.encoder_step_flops(encoder(model))
                if isinstance(model, GRUEncoder) else None)
    pairs = [m for m in model.modules()
             if isinstance(getattr(m, 'backbone', None), GRUEncoder)
             and isinstance(getattr(m, 'neck', None), nn.Module)]
    try:
        neck = sum(flops.linear_flops(m.in_features, m.out_features, batch)
                   for m in pairs[0].neck.modules()
                   if isinstance(m, nn.Linear))
        return flops.cmd_step_flops(
            encoder(pairs[0].backbone), neck, batch, model.feat_dim,
            model.queue_size, len(model.modalities),
            len(model.distill_pairs))
    except (IndexError, AttributeError, TypeError):
        return None


def build_step(args: argparse.Namespace, device):
    """Build the variant's model; return (step closure, FLOPs, shape)."""
    import torch
    from mmengine.optim import AmpOptimWrapper, OptimWrapper

    import cmd_plugin  # noqa: F401  (registers the plugin's modules)
    from mmaction.registry import MODELS
    from mmaction.utils import register_all_modules
    register_all_modules()

    name, config, options = args.variants[int(args.worker)]
    cfg, _ = load_cfg(config, args.cfg_options, options)
    encoder_cfg = cfg.model.backbone
    model_cfg = encoder_cfg if args.encoder_only else cfg.model
    batch = args.batch_size or cfg.get('train_dataloader', {}).get(
        'batch_size', 64)
    torch.manual_seed(args.seed)
    model = MODELS.build(model_cfg).to(device).train()
    if hasattr(model, 'check_global_batch'):
        model.check_global_batch(batch, 1)
    # SCD-Net's encoder holds its trunk's input sizes and its clip length
    backbone = dict(encoder_cfg.get('trunk', encoder_cfg))
    frames = args.clip_len or encoder_cfg.get('clip_len', 64)
    joints = _first_int(model.modules(),
                        ('num_node', 'num_joints', 'graph.num_node'))
    person = args.num_person or backbone.get('num_person', 2)
    shape = (batch, person, frames, joints or 25,
             backbone.get('in_channels', 3))
    if not args.encoder_only:
        shape = shape[:1] + (2, ) + shape[1:]
    gen = torch.Generator().manual_seed(args.seed)
    x = torch.randn(shape, generator=gen).to(device)

    optimizer = torch.optim.SGD(
        [p for p in model.parameters() if p.requires_grad], **SGD)
    if args.amp and device.type == 'cuda':
        optim = AmpOptimWrapper(dtype='float16', optimizer=optimizer)
    else:
        optim = OptimWrapper(optimizer)

    def step() -> None:
        if args.amp and device.type == 'cpu':
            context = torch.autocast('cpu', dtype=torch.bfloat16)
        else:
            context = optim.optim_context(model)
        with context:
            if args.encoder_only:
                out = model(x)
                loss = (out[-1] if isinstance(out, tuple) else out).sum()
            else:
                loss, _ = model.parse_losses(model(x, mode='loss'))
        optim.update_params(loss.float())

    flops = count_flops(model, args.encoder_only, batch, frames)
    if flops is None:
        flops = counted_flops(step)
    return step, flops, shape


def counted_flops(step) -> Dict[str, int]:
    """FLOPs of one step (forward + backward) as torch's dispatcher counts
    them (matmuls, convolutions, attention); the optimizer's elementwise
    work is not counted, as in the analytic GRU count."""
    from torch.utils.flop_counter import FlopCounterMode
    counter = FlopCounterMode(display=False)
    with counter:
        step()
    return dict(total=int(counter.get_total_flops()),
                source='torch.utils.flop_counter')


def _sync(device) -> None:
    import torch
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def _timed(fn, reps: int, device) -> Tuple[List[float], List[float]]:
    walls, cpus = [], []
    for _ in range(reps):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        _sync(device)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def run_worker(args: argparse.Namespace) -> Dict:
    """Measure one variant (or the GEMM probe) in this process."""
    import torch
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    record = {'threads': torch.get_num_threads(),
              'loadavg_1min': os.getloadavg()[0]}
    if args.worker == 'gemm':
        size = args.gemm_size
        a, b = (torch.randn(size, size, device=device) for _ in range(2))
        torch.mm(a, b)
        walls, cpus = _timed(lambda: torch.mm(a, b), args.gemm_reps, device)
        flop = 2 * size**3
        return dict(record, variant='gemm',
                    gemm_gflops=flop / statistics.median(walls) / 1e9,
                    gemm_gflop_per_cpu_s=flop / statistics.median(cpus) / 1e9)
    step, flops, shape = build_step(args, device)
    _timed(step, args.warmup, device)
    walls, cpus = _timed(step, args.iters, device)
    record.update(
        variant=args.variants[int(args.worker)][0], input_shape=shape,
        step_time_s=statistics.mean(walls), step_cpu_s=statistics.mean(cpus),
        peak_rss_mib=resource.getrusage(
            resource.RUSAGE_SELF).ru_maxrss / 1024, flops=flops)
    record['peak_mib'] = record['peak_rss_mib']
    if device.type == 'cuda':
        record['peak_mib'] = torch.cuda.max_memory_allocated(device) / 2**20
    return record


def _spawn(argv: List[str], worker: str, args) -> Dict:
    env = dict(os.environ)
    # OpenMP reads this once at start-up: it must be in the worker's env.
    if args.omp_wait_policy != 'inherit':
        env['OMP_WAIT_POLICY'] = args.omp_wait_policy
    proc = subprocess.run(
        [sys.executable, os.path.abspath(__file__), *argv, '--worker',
         worker], capture_output=True, text=True, env=env)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith('RESULT ')]
    if proc.returncode != 0 or not lines:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise RuntimeError(f'benchmark worker {worker!r} failed (output '
                           'above); check the config and --cfg-options')
    return json.loads(lines[-1][len('RESULT '):])


def _median(values: List[float]) -> float:
    return statistics.median(values) if values else float('nan')


def summarise(records: List[Dict], probes: List[Dict],
              names: List[str]) -> Dict:
    """Medians per variant; step-time ratios to the first variant."""
    gemm = _median([p['gemm_gflops'] for p in probes])
    rows = {}
    for name in names:
        rs = [r for r in records if r['variant'] == name]
        row = {k: _median([r[k] for r in rs])
               for k in ('step_time_s', 'step_cpu_s', 'peak_mib',
                         'loadavg_1min')}
        row['runs'] = len(rs)
        row['iters_per_s'] = 1 / row['step_time_s']
        if rs[0]['flops'] is not None:
            total = rs[0]['flops']['total']
            row['gflop_per_step'] = total / 1e9
            row['achieved_gflops'] = total / row['step_time_s'] / 1e9
        if 'gflop_per_step' in row and probes:
            row['fraction_of_run_gemm'] = row['achieved_gflops'] / gemm
            row['fraction_of_adjacent_gemm'] = _median(
                [total / r['step_time_s'] / 1e9 / r['gemm_gflops']
                 for r in rs if 'gemm_gflops' in r])
            row['cpu_fraction_of_gemm'] = _median(
                [total / r['step_cpu_s'] / 1e9 / r['gemm_gflop_per_cpu_s']
                 for r in rs if 'gemm_gflop_per_cpu_s' in r])
        rows[name] = row
    base = names[0]
    by_round = {}
    for r in records:
        by_round.setdefault(r['round'], {})[r['variant']] = r
    ratios = {}
    for name in names[1:]:
        both = [rr for rr in by_round.values() if base in rr and name in rr]
        ratios[f'{name} / {base}'] = {
            'ratio_of_medians': rows[name]['step_time_s'] /
            rows[base]['step_time_s'],
            'round_ratios': [rr[name]['step_time_s'] /
                             rr[base]['step_time_s'] for rr in both],
            'cpu_time_ratio_of_medians': rows[name]['step_cpu_s'] /
            rows[base]['step_cpu_s'],
        }
    return {'variants': rows, 'step_time_ratios': ratios,
            'gemm_gflops_run_median': gemm}


def format_report(args: argparse.Namespace, result: Dict) -> str:
    """Markdown tables of the summary."""
    mem = 'CUDA max allocated' if args.device == 'cuda' else 'peak RSS'
    lines = [
        f'{args.config} clip_len={args.clip_len or "config"} '
        f'device={args.device} '
        f'amp={args.amp} encoder_only={args.encoder_only} iters={args.iters}'
        f' warmup={args.warmup} repeats={args.repeats} threads='
        f'{args.threads or "default"} OMP_WAIT_POLICY={args.omp_wait_policy}',
        '', f'| variant | runs | step s (median) | it/s | {mem} MiB | '
        'GFLOP/step | achieved GFLOP/s | / run GEMM | / adjacent GEMM | '
        'CPU-time efficiency vs GEMM | load (1 min) |',
        '|---|---|---|---|---|---|---|---|---|---|---|'
    ]
    for name, e in result['variants'].items():
        flop = [f'{e[k]:.3g}' if k in e else 'n/a'
                for k in ('gflop_per_step', 'achieved_gflops')]
        flop += [f'{e[k]:.1%}' if k in e else 'n/a'
                 for k in ('fraction_of_run_gemm',
                           'fraction_of_adjacent_gemm',
                           'cpu_fraction_of_gemm')]
        lines.append(
            f"| {name} | {e['runs']} | {e['step_time_s']:.3f} | "
            f"{e['iters_per_s']:.4f} | {e['peak_mib']:.0f} | "
            + ' | '.join(flop) + f" | {e['loadavg_1min']:.1f} |")
    if result['step_time_ratios']:
        lines += ['', '| step-time ratio | of medians | per round (wall) | '
                  'CPU-time, of medians |', '|---|---|---|---|']
        for k, r in result['step_time_ratios'].items():
            rounds = ', '.join(f'{x:.2f}' for x in r['round_ratios'])
            lines.append(f"| {k} | {r['ratio_of_medians']:.2f}x | {rounds} "
                         f"| {r['cpu_time_ratio_of_medians']:.2f}x |")
    if args.gemm_size:
        lines += ['', f'GEMM reference ({args.gemm_size}^2 float32 matmul, '
                  'interleaved with the runs): median '
                  f"{result['gemm_gflops_run_median']:.1f} GFLOP/s"]
    return '\n'.join(lines)


def main(argv: Optional[List[str]] = None) -> None:
    """Driver: spawn interleaved workers, print and save the summary."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if args.worker is not None:
        print('RESULT ' + json.dumps(run_worker(args)), flush=True)
        return
    names = [name for name, _, _ in args.variants]
    for name, config, options in args.variants:
        for note in load_cfg(config, args.cfg_options, options)[1]:
            print(f'{name}: {note}', flush=True)
    records = []
    gemm = [_spawn(argv, 'gemm', args)] if args.gemm_size else []
    for rnd in range(args.repeats):
        for i, name in enumerate(names):
            rec = dict(_spawn(argv, str(i), args), round=rnd)
            if args.gemm_size:
                gemm.append(_spawn(argv, 'gemm', args))
                for key in ('gemm_gflops', 'gemm_gflop_per_cpu_s'):
                    rec[key] = (gemm[-2][key] + gemm[-1][key]) / 2
            records.append(rec)
            print(f"round {rnd} {name}: input {tuple(rec['input_shape'])}, "
                  f"step {rec['step_time_s']:.3f}s (CPU "
                  f"{rec['step_cpu_s']:.1f}s), peak {rec['peak_mib']:.0f} "
                  f"MiB, load {rec['loadavg_1min']:.2f}", flush=True)
    result = summarise(records, gemm, names)
    print('\n' + format_report(args, result))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump({'args': vars(args), 'records': records,
                       'gemm_probes': gemm, **result}, f, indent=2)


if __name__ == '__main__':
    main()
