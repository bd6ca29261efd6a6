"""Print the kNN-monitor accuracy of a pretraining run, epoch 0 vs last.

Epoch 0 is the validation pass :class:`ValAtStartHook` runs before training,
i.e. the randomly initialised encoders.

    python tools/analysis_tools/knn_summary.py WORK_DIR [--min-gain POINTS]
"""
import argparse
import os.path as osp
import sys

# a file path import: the summary needs no torch
sys.path.insert(0, osp.join(osp.dirname(__file__), '..', '..', 'cmd_plugin',
                            'utils'))
from run_logs import read_knn_records  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('work_dir')
    parser.add_argument(
        '--min-gain',
        type=float,
        default=None,
        help='exit 1 unless the fused stream gains this many points')
    args = parser.parse_args()
    records = read_knn_records(args.work_dir)
    first, last = records[0], records[-1]
    streams = [k[len('knn/'):] for k in first if k.startswith('knn/')]
    print(f'\n1-NN accuracy (%) on the validation split, '
          f'random init (epoch {first.get("step", 0)}) vs pretrained '
          f'(epoch {last.get("step")})')
    print(f'{"stream":<8} {"random":>8} {"CMD":>8} {"gain":>8}')
    for stream in streams:
        before = 100 * first[f'knn/{stream}']
        after = 100 * last[f'knn/{stream}']
        print(f'{stream:<8} {before:8.1f} {after:8.1f} {after - before:+8.1f}')
    if args.min_gain is not None:
        key = 'knn/fused' if 'knn/fused' in first else f'knn/{streams[0]}'
        gain = 100 * (last[key] - first[key])
        if gain < args.min_gain:
            print(f'gain {gain:.1f} < required {args.min_gain}')
            return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
