r"""Project a 3D skeleton annotation pickle to 2D keypoints (pixels plus a
score of 1 per present joint, MMAction2's 2D annotation format), through
an orthographic camera (drop z, one frame for the whole set) or a pinhole
one (Kinect v1 by default). Splits, labels and classes carry over; the
layout becomes the 3D one with ``coord_dims=2`` and ``-xy`` after its
name (the second real 2-D check in docs/benchmarks.md).

Example::

    python tools/data/ucla_to_pkl.py --src ../shared/data/nw-ucla \
        --out data/skeleton/ucla.pkl
    python tools/data/project_to_2d.py --src data/skeleton/ucla.pkl \
        --out data/skeleton/ucla-xy.pkl
"""
import argparse
import sys
from typing import List, Optional

from cmd_plugin.converters.cli import (add_output_args, convert_main,
                                       new_parser, positive_int)
from cmd_plugin.converters.projection import CAMERAS, ProjectionConverter


def positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f'{text} is not > 0')
    return value


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = new_parser(
        '3D skeleton pickle -> 2D keypoint pickle seen by a camera.',
        __doc__)
    parser.add_argument('--src', required=True,
                        help='the 3D annotation pickle')
    parser.add_argument('--camera', choices=CAMERAS, default='orthographic',
                        help='orthographic (default): drop z; pinhole: '
                        'divide by depth')
    parser.add_argument('--pixels-per-unit', type=positive_float,
                        default=200.0,
                        help='orthographic scale, pixels per metre for '
                        'Kinect data (default 200)')
    parser.add_argument('--focal', type=positive_float, default=525.0,
                        help='pinhole focal length in pixels (default 525, '
                        'Kinect v1)')
    parser.add_argument('--img-shape', type=positive_int, nargs=2,
                        metavar=('H', 'W'), default=None,
                        help='pinhole frame (default 480 640, Kinect v1)')
    add_output_args(parser)
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    return convert_main(args, lambda: ProjectionConverter(
        args.src, args.camera, args.pixels_per_unit, args.focal,
        args.img_shape))


if __name__ == '__main__':
    sys.exit(main())
