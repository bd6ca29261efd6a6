r"""Write Penn Action's clips as the JSON files MMPose's inferencer writes
for videos (``MMPoseInferencer(...)(video, pred_out_dir=DIR)``: one file
per video, per frame a list of instances with 17 COCO keypoints and their
scores), in a folder per action: stand-in pose estimates of real videos,
to follow the README's "your own videos" walkthrough without videos or
MMPose. Penn's head becomes the nose; eyes and ears, which Penn does not
annotate, are (0, 0) with score 0; every Penn joint scores 1.

Example::

    python tools/data/penn_as_pose_estimates.py \
        --src ../shared/data/penn-action --out work_dirs/poses
    python tools/data/poses_to_pkl.py --src work_dirs/poses \
        --out data/skeleton/my_poses.pkl --val-fraction 0.2 \
        --img-shape 360 480
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import List, Optional

from cmd_plugin.converters import (SampleError, files_with_suffix,
                                   read_penn_json)
from cmd_plugin.converters.penn import as_pose_estimates


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--src', required=True,
                        help='the penn-action folder (with labels/)')
    parser.add_argument('--out', required=True,
                        help='folder to write <action>/<clip>.json into')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    labels = osp.join(args.src, 'labels')
    if not osp.isdir(labels):
        print(f'error: {labels} does not exist; give the penn-action '
              'folder that holds labels/')
        return 2
    written, skipped = 0, []
    for path in files_with_suffix(labels, '.json'):
        try:
            clip = read_penn_json(path)
        except SampleError as error:  # reported; the other clips go on
            skipped.append(f'{osp.basename(path)}: {error}')
            continue
        folder = osp.join(args.out, clip['action'])
        os.makedirs(folder, exist_ok=True)
        name = osp.splitext(osp.basename(path))[0]
        with open(osp.join(folder, name + '.json'), 'w') as f:
            json.dump(as_pose_estimates(clip), f)
        written += 1
    print(f'wrote {written} pose-estimate files under {args.out}')
    for line in skipped:
        print(f'skipped {line}')
    return 0 if written else 1


if __name__ == '__main__':
    sys.exit(main())
