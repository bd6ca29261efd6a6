"""Print the demo's table: 1-NN and linear accuracy of every stream and of
the fused streams, CMD-pretrained beside randomly initialised encoders and
beside the raw coordinates themselves (no encoder).

Reads what ``tools/demo.sh`` left in its work dir: the pretraining run's kNN
monitor (epoch 0 = random init, last epoch = pretrained), the
``tools/test.py --dump`` files of the linear evaluations, fused with
MMAction2's shipped ``report_accuracy.py`` (equal weights), and the raw
coordinates' 1-NN (``raw_knn.json`` of ``knn_raw_coordinates.py``) and
linear dumps (``scores/raw_<stream>.pkl``); a missing raw result shows
as ``-``.

    python tools/analysis_tools/demo_report.py work_dirs/demo --min-gain 10
"""
import argparse
import json
import os.path as osp
import sys
from typing import Dict

from cmd_plugin.utils.run_logs import read_knn_records
from cmd_plugin.utils.score_fusion import fusion_report

STREAMS = ('joint', 'motion', 'bone')
INITS = ('random', 'cmd')


def knn_accuracy(pretrain_dir: str) -> Dict[str, Dict[str, float]]:
    """{init: {stream or 'fused': 1-NN %}}, random init = epoch 0."""
    records = read_knn_records(pretrain_dir)
    first, last = records[0], records[-1]
    return {
        init: {k[len('knn/'):]: 100 * v for k, v in record.items()
               if k.startswith('knn/')}
        for init, record in zip(INITS, (first, last))
    }


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
        rows = fusion_report(paths)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('work_dir')
    parser.add_argument(
        '--min-gain', type=float, default=None,
        help='exit 1 unless the fused 1-NN and the fused linear accuracy '
        'of the pretrained encoders each beat random init by this many '
        'points')
    args = parser.parse_args()
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


if __name__ == '__main__':
    sys.exit(main())
