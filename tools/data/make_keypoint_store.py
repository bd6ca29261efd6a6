r"""Write a keypoint store: a table-of-contents pickle plus one
memory-mapped NAME.<token>.keypoint.npy beside it, the annotation format for
Kinetics-sized sets (every rank and DataLoader worker of a node shares one
page-cached copy; docs/keypoints-2d.md). Configs point ann_file at the
new .pkl; nothing else changes.

From pyskl's Kinetics-400 table of contents plus its kpfiles (skeletons
under --box-thr dropped, then MMAction2's DecompressPose keeps at most
--max-person per frame), or from a whole annotation pickle (any
converter's output, 2D or 3D: --src X.pkl --out X-store.pkl). The
converters in tools/data/ write a store directly with --keypoint-store.

Example::

    python tools/data/make_keypoint_store.py \
        --src data/k400/k400_hrnet.pkl --kpfiles data/k400/kpfiles \
        --out data/skeleton/k400_2d.pkl
"""
import argparse
import sys
from typing import List, Optional

from cmd_plugin.converters.cli import (add_output_args, convert_main,
                                       new_parser, positive_int)
from cmd_plugin.converters.pickle_source import PickleCopyConverter
from cmd_plugin.converters.pyskl_kinetics import PysklKineticsConverter


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = new_parser(
        'Annotation pickle (or pyskl table of contents + kpfiles) -> '
        'keypoint store. Broken clips are skipped and reported.', __doc__)
    parser.add_argument('--src', required=True,
                        help='a whole annotation pickle, or with --kpfiles '
                        "pyskl's table of contents (k400_hrnet.pkl)")
    parser.add_argument('--kpfiles', default=None,
                        help="the folder of pyskl's kpfiles")
    parser.add_argument('--box-thr', type=float, default=0.5,
                        help='with --kpfiles: drop skeletons whose '
                        'box_score is lower (pyskl: 0.5)')
    parser.add_argument('--max-person', type=positive_int, default=2,
                        help='with --kpfiles: persons kept per frame')
    add_output_args(parser)
    args = parser.parse_args(argv)
    args.keypoint_store = True  # what this tool writes
    return args


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    if args.kpfiles is None:
        return convert_main(args, lambda: PickleCopyConverter(args.src))
    return convert_main(args, lambda: PysklKineticsConverter(
        args.src, args.kpfiles, args.box_thr, args.max_person))


if __name__ == '__main__':
    sys.exit(main())
