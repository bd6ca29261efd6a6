r"""Convert PKU-MMD skeletons and action labels (part II, or part I with
``--part 1``) to an MMAction2 skeleton annotation pickle: one sample per
labelled interval, 51 classes, splits xsub_train/xsub_val and
xview_train/xview_val.

Examples::

    python tools/data/pku_to_pkl.py --src PKU-MMD-v2 \
        --out data/skeleton/pku2_3d.pkl
    python tools/data/pku_to_pkl.py --part 1 --src PKU-MMD-v1 \
        --out data/skeleton/pku1_3d.pkl

Part II: ``SRC/skeleton/*.txt``, ``SRC/label/*.txt`` and the split files
``cross_subject_v2.txt`` / ``cross_view_v2.txt`` in ``SRC`` or ``SRC/split``.
Part I: the same, or the release's folder names ``PKU_Skeleton_Renew`` and
``Train_Label_PKU_final``, and the split files ``cross-subject.txt`` /
``cross-view.txt``; whether its action ids start at 0 or 1 is read from the
label files (``--label-base`` to say it). Each location can be given
explicitly. The configs read exactly those ``--out`` paths.
"""
import argparse
import os.path as osp
import sys
from typing import List, Optional

from cmd_plugin.converters import PKUConverter
from cmd_plugin.converters.cli import (add_output_args,
                                                convert_main, new_parser,
                                                non_negative_int)
from cmd_plugin.converters.pku import (DEFAULT_MAX_FRAMES,
                                                detect_label_base,
                                                find_split_file)

# Where each part keeps its files, first match wins.
PART_FILES = {
    1: dict(skeleton_dir=('skeleton', 'PKU_Skeleton_Renew'),
            label_dir=('label', 'Train_Label_PKU_final'),
            xsub_file=('cross-subject.txt', ),
            xview_file=('cross-view.txt', )),
    2: dict(skeleton_dir=('skeleton', ),
            label_dir=('label', ),
            xsub_file=('cross_subject_v2.txt', ),
            xview_file=('cross_view_v2.txt', )),
}


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = new_parser(
        'PKU-MMD skeleton + label files -> MMAction2 skeleton pickle '
        '(one sample per labelled interval). Broken files and intervals are '
        'skipped and reported.', __doc__)
    parser.add_argument(
        '--part', type=int, choices=(1, 2), default=2,
        help='PKU-MMD part I or II (default 2); sets the default folder '
        'and split file names')
    parser.add_argument(
        '--src',
        help='dataset root holding skeleton/, label/ and the split '
        'files (each can be overridden below)')
    parser.add_argument(
        '--skeleton-dir',
        help='default: SRC/skeleton (part I also SRC/PKU_Skeleton_Renew)')
    parser.add_argument(
        '--label-dir',
        help='default: SRC/label (part I also SRC/Train_Label_PKU_final)')
    parser.add_argument(
        '--xsub-file', help='default: SRC[/split]/cross_subject_v2.txt '
        '(part I: cross-subject.txt)')
    parser.add_argument(
        '--xview-file', help='default: SRC[/split]/cross_view_v2.txt '
        '(part I: cross-view.txt)')
    parser.add_argument(
        '--label-base', type=int, choices=(0, 1),
        help='number of the first action id in the label files; default 1 '
        'for part II, read from the label files for part I')
    parser.add_argument(
        '--max-frames',
        type=non_negative_int,
        default=DEFAULT_MAX_FRAMES,
        help='keep only the first N frames of longer clips, as the authors '
        f'did; 0 keeps all (default {DEFAULT_MAX_FRAMES})')
    add_output_args(parser)
    args = parser.parse_args(argv)
    for key, names in PART_FILES[args.part].items():
        if getattr(args, key):
            continue
        if not args.src:
            parser.error(f'give --src or --{key.replace("_", "-")}')
        path = _first_found(args.src, key, names)
        if path is None:
            parser.error(f'{" or ".join(names)} not found in {args.src}'
                         f'{"" if key.endswith("dir") else " or its split/"};'
                         f' give --{key.replace("_", "-")}')
        setattr(args, key, path)
    return args


def _first_found(root: str, key: str, names) -> Optional[str]:
    for name in names:
        if key.endswith('dir'):
            path = osp.join(root, name)
            found = path if osp.isdir(path) else None
        else:
            found = find_split_file(root, name)
        if found:
            return found
    # a missing folder is named by the converter, with its path
    return osp.join(root, names[0]) if key.endswith('dir') else None


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)

    def converter():
        base = args.label_base
        if base is None:  # a missing folder: PKUConverter names it
            base = 1 if args.part == 2 or not osp.isdir(
                args.label_dir) else detect_label_base(args.label_dir)
        return PKUConverter(args.skeleton_dir, args.label_dir,
                            args.xsub_file, args.xview_file,
                            args.max_frames, label_base=base)

    return convert_main(args, converter)


if __name__ == '__main__':
    sys.exit(main())
