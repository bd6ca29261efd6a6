"""Tables of finished runs: the demo's, a pretraining run's kNN monitor,
and the fusion of ``tools/test.py --dump`` files.

    python tools/analysis_tools/report.py demo work_dirs/demo --min-gain 10
    python tools/analysis_tools/report.py knn WORK_DIR [--min-gain POINTS]
    python tools/analysis_tools/report.py fusion \
        --preds joint.pkl motion.pkl bone.pkl [--coefficients 1 1 1]

``demo``: 1-NN and linear accuracy of every stream and of the fused
streams, CMD-pretrained beside randomly initialised encoders and beside the
raw coordinates themselves (no encoder), from what ``tools/demo.sh`` left
in its work dir: the pretraining run's kNN monitor (epoch 0 = random init,
last epoch = pretrained), the linear evaluations' dumps, fused with
MMAction2's shipped ``report_accuracy.py`` (equal weights), and the raw
coordinates' 1-NN (``raw_knn.json`` of ``knn_raw_coordinates.py``) and
linear dumps (``scores/raw_<stream>.pkl``); a missing raw result shows as
``-``.

``knn``: the kNN-monitor accuracy of one pretraining run, epoch 0 (the
pass ``ValAtStartHook`` runs before training: random init) vs the last.

``fusion``: checks that the dumps hold the same samples in the same order,
runs MMAction2's own ``tools/analysis_tools/report_accuracy.py`` on each
dump and on all of them with the coefficients, and prints one table
(percent).
"""
import argparse
import json
import os.path as osp
import sys
from typing import Dict

from runs import knn_percent, read_knn_records


def _fusion_report(*args, **kwargs):
    # torch and MMAction2 only for the tables that fuse scores
    from cmd_plugin.analysis.score_fusion import fusion_report
    return fusion_report(*args, **kwargs)


STREAMS = ('joint', 'motion', 'bone')
INITS = ('random', 'cmd')


def knn_accuracy(pretrain_dir: str) -> Dict[str, Dict[str, float]]:
    """{init: {stream or 'fused': 1-NN %}}, random init = epoch 0."""
    records = read_knn_records(pretrain_dir)
    return {init: knn_percent(record)
            for init, record in zip(INITS, (records[0], records[-1]))}


def raw_knn_accuracy(path: str) -> Dict[str, float]:
    """{stream or 'fused': 1-NN %} of the raw coordinates, {} if absent."""
    if not osp.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def linear_accuracy(scores_dir: str) -> Dict[str, Dict[str, float]]:
    """{init: {stream or 'fused': top-1 %}} from the dumps; 'raw' only
    when all three raw-coordinate dumps are there."""
    table = {}
    for init in INITS + ('raw', ):
        paths = [osp.join(scores_dir, f'{init}_{s}.pkl') for s in STREAMS]
        if init == 'raw' and not all(osp.exists(p) for p in paths):
            continue
        rows = _fusion_report(paths)
        table[init] = {
            ('fused' if row['name'] == 'fusion' else
             row['name'].split('_', 1)[1]): 100 * row['Top 1 Accuracy']
            for row in rows
        }
    return table


def format_report(knn: Dict, linear: Dict) -> str:
    """The table; ``knn``/``linear`` map 'random', 'cmd' and optionally
    'raw' to {stream or 'fused': %}."""
    heads = ' '.join(f'{h:>7}' for h in ('random', 'CMD', 'gain', 'raw'))
    lines = [
        '',
        'CMD on the synthetic skeletons, validation split, accuracy (%):',
        'pretrained encoders beside randomly initialised ones (gain = CMD -',
        'random) and beside the raw coordinates without any encoder (raw)',
        '',
        f'{"":8} {"1-NN (cosine)":^31}   {"linear (frozen encoder)":^31}',
        f'{"stream":8} {heads}   {heads}',
    ]
    for stream in STREAMS + ('fused', ):
        cells = []
        for table in (knn, linear):
            before, after = table['random'][stream], table['cmd'][stream]
            raw = table.get('raw', {}).get(stream)
            raw = '-' if raw is None else f'{raw:.1f}'
            cells.append(f'{before:7.1f} {after:7.1f} {after - before:+7.1f}'
                         f' {raw:>7}')
        lines.append(f'{stream:8} ' + '   '.join(cells))
    lines.append('fused: 1-NN on the concatenated normalised streams; '
                 'linear: score fusion, equal weights')
    return '\n'.join(lines)


def demo(args: argparse.Namespace) -> int:
    knn = knn_accuracy(osp.join(args.work_dir, 'pretrain'))
    raw = raw_knn_accuracy(osp.join(args.work_dir, 'raw_knn.json'))
    if raw:
        knn['raw'] = raw
    linear = linear_accuracy(osp.join(args.work_dir, 'scores'))
    print(format_report(knn, linear))
    png = osp.join(args.work_dir, 'embeddings.png')
    if osp.exists(png):
        print(f'embeddings (t-SNE per stream): {png}')
    if args.min_gain is not None:
        for name, table in (('1-NN', knn), ('linear', linear)):
            gain = table['cmd']['fused'] - table['random']['fused']
            if gain < args.min_gain:
                print(f'FAILED: fused {name} gains {gain:.1f} points, less '
                      f'than the required {args.min_gain}')
                return 1
    return 0


def knn(args: argparse.Namespace) -> int:
    records = read_knn_records(args.work_dir)
    first, last = records[0], records[-1]
    before_all, after_all = knn_percent(first), knn_percent(last)
    print(f'\n1-NN accuracy (%) on the validation split, '
          f'random init (epoch {first.get("step", 0)}) vs pretrained '
          f'(epoch {last.get("step")})')
    print(f'{"stream":<8} {"random":>8} {"CMD":>8} {"gain":>8}')
    for stream, before in before_all.items():
        after = after_all[stream]
        print(f'{stream:<8} {before:8.1f} {after:8.1f} {after - before:+8.1f}')
    if args.min_gain is not None:
        key = 'fused' if 'fused' in before_all else next(iter(before_all))
        gain = after_all[key] - before_all[key]
        if gain < args.min_gain:
            print(f'gain {gain:.1f} < required {args.min_gain}')
            return 1
    return 0


def fusion(args: argparse.Namespace) -> int:
    from cmd_plugin.analysis.score_fusion import format_table
    try:
        rows = _fusion_report(args.preds, args.coefficients,
                              args.apply_softmax)
    except (ValueError, OSError) as err:
        print(f'report fusion: {err}', file=sys.stderr)
        return 1
    print('accuracy (%) from MMAction2\'s '
          'tools/analysis_tools/report_accuracy.py')
    print(format_table(rows))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest='table', required=True)
    for name, what in (('demo', 'fused 1-NN and fused linear accuracy of '
                        'the pretrained encoders each beat random init'),
                       ('knn', 'the fused (else first) stream gains')):
        p = sub.add_parser(name, help=f'the {name} table')
        p.add_argument('work_dir')
        p.add_argument('--min-gain', type=float, default=None,
                       help=f'exit 1 unless {what} by this many points')
    p = sub.add_parser('fusion', help='per-stream and fused accuracy of '
                       'tools/test.py --dump files')
    p.add_argument('--preds', nargs='+', required=True,
                   help='dump files, one per stream')
    p.add_argument('--coefficients', nargs='+', type=float,
                   help='weight per stream (default: all 1)')
    p.add_argument('--apply-softmax', action='store_true',
                   help='softmax each stream\'s scores before fusing')
    args = parser.parse_args(argv)
    return dict(demo=demo, knn=knn, fusion=fusion)[args.table](args)


if __name__ == '__main__':
    sys.exit(main())
