r"""Convert SBU Kinect Interaction v2.0 skeleton files to an MMAction2
skeleton annotation pickle (M=2, V=15, labels 0-7, metres; splits
fold1_train/fold1_val ... fold5_train/fold5_val, the dataset's 5-fold
cross-validation over participant sets).

Example::

    python tools/data/sbu_to_pkl.py --src ../shared/data/sbu-interaction \
        --out data/skeleton/sbu.pkl

(the configs read exactly that ``--out`` path).
"""
import argparse
import sys
from typing import List, Optional

from cmd_plugin.converters import SBUConverter
from cmd_plugin.converters.cli import (add_output_args,
                                                convert_main, new_parser)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = new_parser(
        'SBU Kinect Interaction sXXsYY/AA/NNN/skeleton_pos.txt files -> '
        'MMAction2 skeleton pickle. Broken files are skipped and reported.',
        __doc__)
    parser.add_argument(
        '--src', required=True,
        help='directory holding the sXXsYY participant-set folders')
    add_output_args(parser)
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    return convert_main(args, lambda: SBUConverter(args.src))


if __name__ == '__main__':
    sys.exit(main())
