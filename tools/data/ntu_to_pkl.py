r"""Convert raw NTU RGB+D 60/120 ``.skeleton`` files to an MMAction2
skeleton annotation pickle (raw coordinates, standard splits).

Example::

    python tools/data/ntu_to_pkl.py --src nturgb+d_skeletons \
        --dataset ntu60 --out data/skeleton/ntu60_3d.pkl \
        --ignore-list NTU_RGBD_samples_with_missing_skeletons.txt
    python tools/data/ntu_to_pkl.py --src nturgb+d_skeletons_120 \
        --dataset ntu120 --out data/skeleton/ntu120_3d.pkl \
        --ignore-list NTU_RGBD120_samples_with_missing_skeletons.txt

(the configs read exactly these paths; ``--src`` of ntu120 holds the
files of both NTU-120 downloads, S001-S032).
"""
import argparse
import sys
from typing import List, Optional

from cmd_plugin.converters import NTUConverter, read_name_list
from cmd_plugin.converters.cli import (add_output_args,
                                                convert_main, new_parser,
                                                positive_int)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = new_parser(
        'NTU RGB+D .skeleton files -> MMAction2 skeleton pickle '
        '(keypoint (M,T,25,3) float16, 2 most energetic bodies; splits '
        'xsub/xview for ntu60, xsub/xset for ntu120). Broken files are '
        'skipped and reported.', __doc__)
    parser.add_argument(
        '--src', required=True, help='directory of .skeleton files')
    parser.add_argument(
        '--dataset',
        choices=['ntu60', 'ntu120'],
        default='ntu60',
        help='which benchmark (label range and splits); default ntu60')
    parser.add_argument(
        '--ignore-list',
        metavar='FILE',
        help='sample names to drop, one per line (the published '
        'missing-skeleton list: 302 names for NTU-60, 535 for NTU-120; '
        'its lines of prose are ignored)')
    parser.add_argument(
        '--max-bodies',
        type=positive_int,
        default=2,
        help='bodies kept per sample, by motion energy, 1 or more '
        '(default 2)')
    add_output_args(parser)
    return parser.parse_args(argv)


def build_converter(args: argparse.Namespace) -> NTUConverter:
    ignore = read_name_list(args.ignore_list) if args.ignore_list else None
    return NTUConverter(args.src, args.dataset, ignore, args.max_bodies)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    return convert_main(args, lambda: build_converter(args))


if __name__ == '__main__':
    sys.exit(main())
