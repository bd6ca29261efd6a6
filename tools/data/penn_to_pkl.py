r"""Convert the Penn Action label files to an MMAction2 2D skeleton
annotation pickle (M=1, V=13 in Penn's joint order, written into the
pickle as a layout definition; keypoint in pixels, keypoint_score 1 for
every annotated joint, visibility as keypoint_visible; labels 0-14 =
the sorted action names, stored as classes; splits train / test, the
dataset's own).

Example::

    python tools/data/penn_to_pkl.py --src ../shared/data/penn-action \
        --out data/skeleton/penn.pkl

(``--src`` is the folder holding ``labels/NNNN.json``, or ``labels/``
itself).
"""
import argparse
import sys
from typing import List, Optional

from cmd_plugin.converters import PennConverter
from cmd_plugin.converters.cli import add_output_args, new_parser
from cmd_plugin.converters.cli import convert_main


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = new_parser(
        'Penn Action labels/NNNN.json -> MMAction2 2D skeleton pickle. '
        'Broken files are skipped and reported.', __doc__)
    parser.add_argument(
        '--src', required=True,
        help='the penn-action folder (with labels/) or its labels folder')
    add_output_args(parser)
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    return convert_main(args, lambda: PennConverter(args.src))


if __name__ == '__main__':
    sys.exit(main())
