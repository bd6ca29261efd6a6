"""SBU Kinect Interaction v2.0 (clean) -> skeleton pickle.

One ``sXXsYY/AA/NNN/skeleton_pos.txt`` per sequence (participant set,
action 01-08, sequence): a header-less CSV, one row per frame, the frame
number then 15 joints x (x, y, z) of person A and of person B, in the
dataset's normalised units. Stored here in metres of camera space, by the
inverse the dataset's README gives (X = 1280 - 2560 x, Y = 960 - 1920 y,
Z = 10000 z / 7.8125, in millimetres). Splits: the dataset's 5-fold
cross-validation over participant sets, ``fold<k>_train`` (the other four
folds) and ``fold<k>_val`` (fold k).
"""
import os
import os.path as osp
import re
from typing import Dict, List

import numpy as np

from .base import SkeletonConverter
from .keypoint import make_annotation
from .report import ConversionReport, SampleError

NUM_JOINTS = 15
NUM_ACTIONS = 8
FILE_NAME = 'skeleton_pos.txt'
# The dataset README's folds of participant sets.
SBU_FOLDS = (
    ('s01s02', 's03s04', 's05s02', 's06s04'),
    ('s02s03', 's02s07', 's03s05', 's05s03'),
    ('s01s03', 's01s07', 's07s01', 's07s03'),
    ('s02s01', 's02s06', 's03s02', 's03s06'),
    ('s04s02', 's04s03', 's04s06', 's06s02', 's06s03'),
)
_PATH = re.compile(r'(s\d\ds\d\d)[/\\](\d\d)[/\\](\d\d\d)[/\\]' +
                   re.escape(FILE_NAME) + '$')


def fold_of(participant_set: str) -> int:
    """1-based fold of a participant set such as 's01s02'."""
    for k, sets in enumerate(SBU_FOLDS, 1):
        if participant_set in sets:
            return k
    raise SampleError('unknown participant set',
                      f'{participant_set} is in none of the 5 folds')


def read_sbu_file(path: str) -> np.ndarray:
    """(2, T, 15, 3) keypoints of one file, metres of camera space.

    Raises:
        SampleError: Unreadable numbers, another column count, no frame,
            or a non-finite value.
    """
    try:
        rows = np.loadtxt(path, delimiter=',', ndmin=2)
    except ValueError as error:
        raise SampleError('garbled file', str(error)[:80]) from None
    if rows.size == 0:
        raise SampleError('zero frames')
    want = 1 + 2 * NUM_JOINTS * 3
    if rows.shape[1] != want:
        raise SampleError(
            'wrong joint count',
            f'{rows.shape[1]} columns per frame, want {want} (frame number '
            f'and 2 persons x {NUM_JOINTS} joints x xyz)')
    if not np.isfinite(rows).all():
        raise SampleError('non-finite coordinates')
    xyz = rows[:, 1:].reshape(-1, 2, NUM_JOINTS, 3).transpose(1, 0, 2, 3)
    metres = np.empty_like(xyz)
    metres[..., 0] = (1280.0 - 2560.0 * xyz[..., 0]) / 1000.0
    metres[..., 1] = (960.0 - 1920.0 * xyz[..., 1]) / 1000.0
    metres[..., 2] = xyz[..., 2] * 10000.0 / 7.8125 / 1000.0
    return metres


class SBUConverter(SkeletonConverter):
    """Convert the SBU Kinect Interaction folder tree (5 folds).

    Args:
        src (str): The folder holding the ``sXXsYY`` set folders.
    """

    split_names = tuple(f'fold{k}_{part}' for k in range(1, 6)
                        for part in ('train', 'val'))
    num_classes = NUM_ACTIONS
    layout = 'sbu'

    def __init__(self, src: str) -> None:
        if not osp.isdir(src):
            raise FileNotFoundError(f'SBU directory not found: {src}')
        self.src = src

    def sources(self) -> List[str]:
        found = []
        for root, _, files in os.walk(self.src):
            found += [osp.join(root, f) for f in files if f == FILE_NAME]
        return sorted(found)

    def source_name(self, source: str) -> str:
        """``sXXsYY_aAA_NNN`` from the path."""
        match = _PATH.search(source)
        if match is None:
            return osp.relpath(source, self.src)
        return '{}_a{}_{}'.format(*match.groups())

    def convert(self, source: str, report: ConversionReport) -> List[Dict]:
        match = _PATH.search(source)
        if match is None:
            raise SampleError('bad path',
                              f'expected sXXsYY/AA/NNN/{FILE_NAME}')
        participant_set, action, _ = match.groups()
        fold_of(participant_set)
        label = int(action) - 1
        if not 0 <= label < NUM_ACTIONS:
            raise SampleError('unknown label', f'action folder {action}')
        return [make_annotation(self.source_name(source), label,
                                read_sbu_file(source), NUM_JOINTS,
                                'all coordinates are zero')]

    def splits_of(self, annotation: Dict) -> List[str]:
        fold = fold_of(annotation['frame_dir'].split('_')[0])
        return [f'fold{fold}_val'] + [
            f'fold{k}_train' for k in range(1, 6) if k != fold
        ]
