r"""Convert PKU-MMD v2 skeletons and action labels to an MMAction2 skeleton
annotation pickle: one sample per labelled interval, 51 classes, splits
xsub_train/xsub_val and xview_train/xview_val.

Example::

    python tools/data/pku_to_pkl.py --src PKU-MMD-v2 \
        --out data/skeleton/pku2_3d.pkl

with ``PKU-MMD-v2/skeleton/*.txt``, ``PKU-MMD-v2/label/*.txt`` and the split
files ``cross_subject_v2.txt`` / ``cross_view_v2.txt`` in ``PKU-MMD-v2`` or
``PKU-MMD-v2/split`` (or give each location explicitly). The configs read
exactly that ``--out`` path.
"""
import argparse
import os.path as osp
import sys
from typing import List, Optional

from cmd_plugin.datasets.converters import PKUConverter
from cmd_plugin.datasets.converters.cli import (add_output_args,
                                                convert_main, new_parser,
                                                non_negative_int)
from cmd_plugin.datasets.converters.pku import (DEFAULT_MAX_FRAMES,
                                                find_split_file)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = new_parser(
        'PKU-MMD v2 skeleton + label files -> MMAction2 skeleton pickle '
        '(one sample per labelled interval). Broken files and intervals are '
        'skipped and reported.', __doc__)
    parser.add_argument(
        '--src',
        help='dataset root holding skeleton/, label/ and the split '
        'files (each can be overridden below)')
    parser.add_argument('--skeleton-dir', help='default: SRC/skeleton')
    parser.add_argument('--label-dir', help='default: SRC/label')
    parser.add_argument(
        '--xsub-file', help='default: SRC[/split]/cross_subject_v2.txt')
    parser.add_argument(
        '--xview-file', help='default: SRC[/split]/cross_view_v2.txt')
    parser.add_argument(
        '--max-frames',
        type=non_negative_int,
        default=DEFAULT_MAX_FRAMES,
        help='keep only the first N frames of longer clips, as the authors '
        f'did; 0 keeps all (default {DEFAULT_MAX_FRAMES})')
    add_output_args(parser)
    args = parser.parse_args(argv)
    defaults = dict(
        skeleton_dir='skeleton',
        label_dir='label',
        xsub_file='cross_subject_v2.txt',
        xview_file='cross_view_v2.txt')
    for key, name in defaults.items():
        if getattr(args, key):
            continue
        if not args.src:
            parser.error(f'give --src or --{key.replace("_", "-")}')
        path = (
            osp.join(args.src, name)
            if key.endswith('dir') else find_split_file(args.src, name))
        if path is None:
            parser.error(f'{name} not found in {args.src} or {args.src}/split;'
                         f' give --{key.replace("_", "-")}')
        setattr(args, key, path)
    return args


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    return convert_main(
        args, lambda: PKUConverter(args.skeleton_dir, args.label_dir,
                                   args.xsub_file, args.xview_file,
                                   args.max_frames))


if __name__ == '__main__':
    sys.exit(main())
