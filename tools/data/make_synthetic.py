r"""Write a synthetic NTU-25 skeleton dataset (MMAction2 skeleton pickle) of
time-reversed action pairs that need motion to be told apart.

Example::

    python tools/data/make_synthetic.py --out data/synthetic/synthetic.pkl \
        --per-class 50 --seed 0

(the demo config reads exactly that ``--out`` path unless
``$CMD_DEMO_ANN_FILE`` names another). ``--2d`` films the same motions
as COCO-17 keypoints in pixels with ``keypoint_score`` and ``img_shape``
(MMAction2's 2-D pickle; ``configs/_base_/datasets/synthetic-2d.py``
reads ``data/synthetic/synthetic-2d.pkl``)::

    python tools/data/make_synthetic.py --2d \
        --out data/synthetic/synthetic-2d.pkl
"""
import argparse
import sys
import time
from collections import Counter
from typing import List, Optional

from cmd_plugin.converters import dump_pickle_atomic
from cmd_plugin.converters.cli import check_outputs, new_parser
from cmd_plugin.converters.synthetic import (SYNTHETIC_CLASSES,
                                           make_synthetic_dataset)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = new_parser(
        'Generate synthetic NTU-25 skeleton actions (or their COCO-17 2-D '
        f'projection) ({len(SYNTHETIC_CLASSES)} classes, splits train/val, '
        'M=2) as an MMAction2 skeleton pickle.', __doc__)
    parser.add_argument('--out', required=True, help='output pickle (.pkl)')
    parser.add_argument(
        '--2d',
        dest='two_d',
        action='store_true',
        help='COCO-17 2-D keypoints (pixels of a 1920x1080 camera) with '
        'keypoint_score and img_shape, instead of NTU-25 3-D joints')
    parser.add_argument('--seed', type=int, default=0, help='default 0')
    parser.add_argument(
        '--per-class',
        type=int,
        default=50,
        help='samples per class (default 50)')
    parser.add_argument(
        '--val-fraction',
        type=float,
        default=0.2,
        help="share of each class in 'val' (default 0.2)")
    parser.add_argument('--min-frames', type=int, default=40)
    parser.add_argument('--max-frames', type=int, default=120)
    parser.add_argument(
        '--max-view-angle',
        type=float,
        default=60.,
        help='viewpoint spread about the vertical, degrees (default 60)')
    parser.add_argument(
        '--second-person-prob',
        type=float,
        default=0.35,
        help='chance of an idle bystander as person 1 (default 0.35)')
    parser.add_argument(
        '--noise-std',
        type=float,
        default=0.01,
        help='joint noise in metres (default 0.01)')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    if not check_outputs(args, ('out', )):
        return 2
    start = time.perf_counter()
    data = make_synthetic_dataset(
        per_class=args.per_class,
        seed=args.seed,
        val_fraction=args.val_fraction,
        dims=2 if args.two_d else 3,
        min_frames=args.min_frames,
        max_frames=args.max_frames,
        max_view_angle=args.max_view_angle,
        second_person_prob=args.second_person_prob,
        noise_std=args.noise_std)
    elapsed = time.perf_counter() - start
    dump_pickle_atomic(data, args.out)
    annotations = data['annotations']
    frames = [a['total_frames'] for a in annotations]
    counts = Counter(a['label'] for a in annotations)
    print(f'samples: {len(annotations):,} (generated in {elapsed:.1f} s)')
    print('splits: ' + ', '.join(f'{k} {len(v):,}'
                                 for k, v in data['split'].items()))
    print(f'classes: {len(counts)}')
    for label, name in enumerate(SYNTHETIC_CLASSES):
        print(f'  {label}: {name} ({counts[label]})')
    print(f'frames per sample: {min(frames)}-{max(frames)}')
    print(f'written: {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
