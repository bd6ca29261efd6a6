r"""Convert 2D pose estimates of your own videos (COCO-17 keypoints, one
file per video: MMPose's ``pred_out_dir`` / ``--save-predictions`` JSON,
or MMAction2's ``ntu_pose_extraction.py`` pickle) to an MMAction2 2D
skeleton annotation pickle (layout ``coco``; keypoint in pixels plus
keypoint_score; splits train and, with a split column or
``--val-fraction``, val).

Examples::

    # labels from class folders: poses/<class_name>/<video>.json
    python tools/data/poses_to_pkl.py --src poses \
        --out data/skeleton/my_poses.pkl --val-fraction 0.2 \
        --img-shape 1080 1920
    # labels (and splits) from a CSV: file,label[,split]
    python tools/data/poses_to_pkl.py --src poses --labels labels.csv \
        --out data/skeleton/my_poses.pkl --img-shape 720 1280

(see ``cmd_plugin/converters/pose_estimates.py`` for the accepted files).
"""
import argparse
import sys
from typing import List, Optional

from cmd_plugin.converters import PoseEstimateConverter
from cmd_plugin.converters.cli import (add_output_args, new_parser,
                                       non_negative_int, positive_int)
from cmd_plugin.converters.cli import convert_main


def fraction(text: str) -> float:
    """argparse type: a number in [0, 1)."""
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(
            f'must be at least 0 and below 1, got {value}')
    return value


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = new_parser(
        'Per-video 2D pose estimates (MMPose JSON or ntu_pose_extraction '
        'pickles, COCO-17) -> MMAction2 2D skeleton pickle. Broken files '
        'are skipped and reported.', __doc__)
    parser.add_argument(
        '--src', required=True,
        help='folder of .json/.pkl files; without --labels, one subfolder '
        'per class (labels follow the sorted folder names)')
    parser.add_argument(
        '--labels', metavar='CSV',
        help='CSV with a header and columns file,label[,split]: file '
        'relative to --src, label a class id or name, split train or val')
    parser.add_argument(
        '--max-persons', type=positive_int, default=2,
        help='persons kept per frame, highest mean keypoint score first '
        '(default 2)')
    parser.add_argument(
        '--img-shape', type=positive_int, nargs=2, metavar=('H', 'W'),
        help='frame size of the videos, for files that record none '
        '(otherwise the keypoint extent is used, with a warning)')
    parser.add_argument(
        '--val-fraction', type=fraction,
        help='share of every class put in split val when the CSV has no '
        'split column (deterministic, stratified); default: all train')
    parser.add_argument(
        '--seed', type=non_negative_int, default=0,
        help='seed of the --val-fraction split (default 0)')
    add_output_args(parser)
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    return convert_main(
        args, lambda: PoseEstimateConverter(
            args.src, args.labels, args.max_persons, args.img_shape,
            args.val_fraction, args.seed))


if __name__ == '__main__':
    sys.exit(main())
