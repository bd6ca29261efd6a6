"""Print the demo's table: 1-NN and linear accuracy of every stream and of
the fused streams, CMD-pretrained beside randomly initialised encoders.

Reads what ``tools/demo.sh`` left in its work dir: the pretraining run's kNN
monitor (epoch 0 = random init, last epoch = pretrained) and the
``tools/test.py --dump`` files of the linear evaluations, fused with
MMAction2's shipped ``report_accuracy.py`` (equal weights).

    python tools/analysis_tools/demo_report.py work_dirs/demo --min-gain 10
"""
import argparse
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


def linear_accuracy(scores_dir: str) -> Dict[str, Dict[str, float]]:
    """{init: {stream or 'fused': top-1 %}} from the dumps."""
    table = {}
    for init in INITS:
        paths = [osp.join(scores_dir, f'{init}_{s}.pkl') for s in STREAMS]
        rows = fusion_report(paths)
        table[init] = {
            ('fused' if row['name'] == 'fusion' else
             row['name'].split('_', 1)[1]): 100 * row['Top 1 Accuracy']
            for row in rows
        }
    return table


def format_report(knn: Dict, linear: Dict) -> str:
    lines = [
        '',
        'CMD on the synthetic skeletons, validation split, accuracy (%):',
        'pretrained encoders beside randomly initialised ones',
        '',
        f'{"":8} {"1-NN (cosine)":^24}   {"linear (frozen encoder)":^24}',
        f'{"stream":8} ' + ' '.join(f'{h:>7}' for h in (
            'random', 'CMD', 'gain')) + '   ' + ' '.join(
                f'{h:>7}' for h in ('random', 'CMD', 'gain')),
    ]
    for stream in STREAMS + ('fused', ):
        cells = []
        for table in (knn, linear):
            before, after = table['random'][stream], table['cmd'][stream]
            cells.append(f'{before:7.1f} {after:7.1f} {after - before:+7.1f}')
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
