"""Peak memory and time of the kNN evaluation (KNNAccuracy) on synthetic
features, at NTU-120 xsub size by default.

    git worktree add /tmp/knn_before REV
    python tools/benchmarks/benchmark_knn.py --query 5092 --repeats 3 \\
        --baseline-tree /tmp/knn_before

Each run is its own subprocess (so its RSS is its own); runs of the
variants are interleaved and medians reported. ``--baseline-tree DIR``
also measures the KNNAccuracy of the package checked out in DIR (an
earlier revision), imported normally with DIR first on ``PYTHONPATH``.
"""
import argparse
import ast
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
from typing import Dict, List, Optional

from knn_workload import NTU120_XSUB, run_benchmark


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--reference', type=int, default=NTU120_XSUB['reference'])
    p.add_argument('--query', type=int, default=NTU120_XSUB['query'])
    p.add_argument('--dim', type=int, default=2048)
    p.add_argument('--streams', nargs='+',
                   default=['joint', 'motion', 'bone'])
    p.add_argument('--batch-size', type=int, default=64)
    p.add_argument('--device', default='cpu', choices=['cpu', 'cuda'])
    p.add_argument('--option', nargs='*', default=[], metavar='KEY=VALUE',
                   help='options of the current KNNAccuracy (not the '
                   'baseline), e.g. k=200 chunk_size=4096')
    p.add_argument('--baseline-tree', metavar='DIR',
                   help='also measure the KNNAccuracy of the cmd_plugin '
                   'checked out in DIR (e.g. git worktree add DIR REV)')
    p.add_argument('--repeats', type=int, default=1)
    p.add_argument('--child', choices=['current', 'baseline'],
                   help=argparse.SUPPRESS)
    return p.parse_args(argv)


def _options(args: argparse.Namespace, variant: str) -> Dict:
    if variant == 'baseline':  # an earlier class may take none of them
        return {}
    options = {}
    for item in args.option:
        key, _, value = item.partition('=')
        try:
            options[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            options[key] = value
    options.setdefault('device', args.device)
    return options


def child(args: argparse.Namespace) -> None:
    record = run_benchmark(
        args.reference, args.query, args.dim, args.streams, args.batch_size,
        args.device,
        options=_options(args, args.child))
    print(json.dumps(record))


def main(argv: Optional[List[str]] = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.child:
        return child(args)
    variants = ['current'] + (['baseline'] if args.baseline_tree else [])
    records = {v: [] for v in variants}
    for repeat in range(args.repeats):
        for variant in variants:
            env = dict(os.environ)
            if variant == 'baseline':  # its cmd_plugin first on the path
                env['PYTHONPATH'] = os.pathsep.join(
                    [osp.abspath(args.baseline_tree)] +
                    [p for p in [env.get('PYTHONPATH')] if p])
            out = subprocess.run(
                [sys.executable, __file__, *argv, '--child', variant],
                check=True, capture_output=True, text=True, env=env).stdout
            record = json.loads(out.strip().splitlines()[-1])
            records[variant].append(record)
            print(f'[{repeat}] {variant}: {json.dumps(record)}', flush=True)
    print(f'\n{args.reference} reference x {args.query} query, '
          f'{len(args.streams)} x {args.dim}-d, {args.device}, medians of '
          f'{args.repeats}:')
    keys = ['extra_peak_mib', 'process_s', 'compute_s']
    if args.device == 'cuda':
        keys.append('cuda_peak_mib')
    print('| variant | ' + ' | '.join(keys) + ' | metrics |')
    print('|---' * (len(keys) + 2) + '|')
    for variant, rows in records.items():
        cells = [f'{statistics.median(r[k] for r in rows):,.1f}'
                 for k in keys]
        scores = ', '.join(f'{s} {100 * v:.2f}'
                           for s, v in rows[0]['metrics'].items())
        print(f'| {variant} | ' + ' | '.join(cells) + f' | {scores} |')


if __name__ == '__main__':
    main()
