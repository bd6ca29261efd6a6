"""Northwestern-UCLA Multiview Action 3D (skeleton JSON) -> skeleton pickle.

One JSON file per sequence, named ``aAA_sSS_eEE_vVV.json`` (action,
subject, episode, view) and holding ``{"file_name", "skeletons": [T][20][3],
"label"}`` in the Kinect v1 20-joint order. One person per sequence.
"""
import json
import os.path as osp
import re
from typing import Dict, List

import numpy as np

from .base import SkeletonConverter, files_with_suffix
from .keypoint import drop_empty_bodies, make_annotation
from .report import ConversionReport, SampleError

NUM_JOINTS = 20
# The ten NW-UCLA action ids (a07 and a10 do not exist); labels are their
# positions in this sorted list.
UCLA_ACTIONS = (1, 2, 3, 4, 5, 6, 8, 9, 11, 12)
# Standard cross-view protocol: views 1 and 2 train, view 3 tests.
UCLA_TRAIN_VIEWS = frozenset([1, 2])
UCLA_VAL_VIEWS = frozenset([3])

_NAME = re.compile(r'^a(\d+)_s(\d+)_e(\d+)_v(\d+)$')


def parse_ucla_name(name: str) -> Dict[str, int]:
    """``action``, ``subject``, ``episode`` and ``view`` of a sample name.

    Raises:
        SampleError: The name does not follow ``aAA_sSS_eEE_vVV``.
    """
    match = _NAME.match(name)
    if match is None:
        raise SampleError('bad file name', 'expected aAA_sSS_eEE_vVV.json')
    return dict(
        zip(('action', 'subject', 'episode', 'view'),
            (int(g) for g in match.groups())))


def read_ucla_json(path: str) -> Dict:
    """Load one sample file.

    Returns:
        dict: ``skeletons`` as a (T, 20, 3) float64 array and ``label`` (the
        file's 1-based label or None).

    Raises:
        SampleError: Invalid JSON, missing or ragged ``skeletons``, wrong
            joint count, zero frames.
    """
    try:
        with open(path, encoding='utf-8') as f:
            content = json.load(f)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SampleError('garbled file', str(error)[:80]) from None
    if not isinstance(content, dict) or 'skeletons' not in content:
        raise SampleError('garbled file', 'no "skeletons" entry')
    try:
        skeletons = np.asarray(content['skeletons'], dtype=np.float64)
    except (TypeError, ValueError):
        raise SampleError(
            'wrong joint count',
            'frames differ in joint or coordinate count') from None
    if skeletons.size == 0:
        raise SampleError('zero frames')
    if skeletons.ndim != 3 or skeletons.shape[1:] != (NUM_JOINTS, 3):
        raise SampleError(
            'wrong joint count',
            f'skeletons shape {skeletons.shape}, want (T, {NUM_JOINTS}, 3)')
    return dict(skeletons=skeletons, label=content.get('label'))


class UCLAConverter(SkeletonConverter):
    """Convert a directory of NW-UCLA JSON files (cross-view splits).

    Args:
        src (str): Directory of ``aAA_sSS_eEE_vVV.json`` files.
    """

    split_names = ('xview_train', 'xview_val')
    num_classes = len(UCLA_ACTIONS)
    layout = 'nw-ucla'

    def __init__(self, src: str) -> None:
        if not osp.isdir(src):
            raise FileNotFoundError(f'NW-UCLA directory not found: {src}')
        self.src = src

    def sources(self) -> List[str]:
        return files_with_suffix(self.src, '.json')

    def convert(self, source: str, report: ConversionReport) -> List[Dict]:
        name = self.source_name(source)
        fields = parse_ucla_name(name)
        if fields['action'] not in UCLA_ACTIONS:
            raise SampleError(
                'unknown label',
                f"action a{fields['action']:02d} is not an NW-UCLA action")
        if fields['view'] not in UCLA_TRAIN_VIEWS | UCLA_VAL_VIEWS:
            raise SampleError('unknown view', f"view {fields['view']}")
        label = UCLA_ACTIONS.index(fields['action'])
        content = read_ucla_json(source)
        # The file's own label is 1-based in sorted action order; a
        # disagreement means a renamed or corrupted file.
        if content['label'] is not None and content['label'] != label + 1:
            raise SampleError(
                'label mismatch', f"file says {content['label']}, name says "
                f"a{fields['action']:02d} (label {label + 1})")
        keypoint = drop_empty_bodies(content['skeletons'][None])
        return [
            make_annotation(name, label, keypoint, NUM_JOINTS,
                            'all coordinates are zero')
        ]

    def splits_of(self, annotation: Dict) -> List[str]:
        view = parse_ucla_name(annotation['frame_dir'])['view']
        return ['xview_train' if view in UCLA_TRAIN_VIEWS else 'xview_val']
