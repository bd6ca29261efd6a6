r"""Convert Northwestern-UCLA skeleton JSON files to an MMAction2 skeleton
annotation pickle (M=1, V=20, labels 0-9, cross-view splits xview_train =
views 1-2, xview_val = view 3).

Example::

    python tools/data/ucla_to_pkl.py --src ../shared/data/nw-ucla \
        --out data/skeleton/ucla.pkl

(the configs read exactly that ``--out`` path; ``.json`` is matched in any
letter case).
"""
import argparse
import sys
from typing import List, Optional

from cmd_plugin.converters import UCLAConverter
from cmd_plugin.converters.cli import (add_output_args,
                                                convert_main, new_parser)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = new_parser(
        'NW-UCLA aAA_sSS_eEE_vVV.json files -> MMAction2 skeleton pickle. '
        'Broken files are skipped and reported.', __doc__)
    parser.add_argument(
        '--src', required=True, help='directory of NW-UCLA .json files')
    add_output_args(parser)
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    return convert_main(args, lambda: UCLAConverter(args.src))


if __name__ == '__main__':
    sys.exit(main())
