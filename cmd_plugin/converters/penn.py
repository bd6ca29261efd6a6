"""Penn Action (13 annotated 2D joints, 15 sports actions) -> 2D skeleton
pickle.

Source: ``labels/NNNN.json``, one per clip (the dataset's ``.mat`` files
re-encoded; see the data folder's README): ``action``, ``train`` (1 / -1),
``nframes``, ``dimensions`` [H, W, T], ``x`` / ``y`` [T][13] pixels,
``visibility`` [T][13]. One person per clip (M = 1).

Decisions:

- **Layout**: the 13 joints in Penn's own order, written into the pickle
  as a definition (:data:`PENN_LAYOUT`), not mapped into COCO-17: four
  COCO joints (eyes, ears) would be invented zeros. Penn's joints 2-13
  are COCO's 6-17 in the same order and its head stands in for COCO's
  nose (:data:`PENN_TO_COCO`), so the bones are COCO's (MMAction2's
  ``coco`` graph) restricted to these joints, with the head as root and
  centre.
- **Score channel = 1** for every annotated joint. MMAction2's 2D
  pipeline multiplies nothing by the score; it is one more input channel,
  which for pose-estimator data says how sure the estimate is. Here every
  position is ground truth -- occluded joints (visibility 0, 22% of
  entries) carry the annotator's guess, not a missing value -- so the
  honest confidence is uniform. Storing visibility as the score would
  tell the model that a fifth of the positions are unreliable, in a way
  no pose estimator's score behaves. Visibility is kept separately as
  ``keypoint_visible`` (M, T, V) uint8, for analysis; the transforms do
  not read it (they neither resample nor flip it).
- **Missing frames**: frames whose 13 joints are all (0, 0) (the last
  frame of clips 0449 and 2173) are dropped at the clip ends; elsewhere
  they would be kept with score 0 (none occur).
- **img_shape** = the larger of ``dimensions`` and the coordinate extent
  per axis: five clips have joints beyond their stated frame (the jump
  rope clips 0979, 1021, 1024, 1032 in every frame), and normalising by a
  frame the joints leave would push them past [-1, 1].
  ``original_shape`` keeps ``dimensions`` as stated.
- **Splits**: the standard protocol, the ``train`` field: ``train``
  (1,258 clips) and ``test`` (1,068); plain names, since Penn has one
  protocol (no xsub/xview).
- **Labels**: the 15 action names sorted alphabetically, ids 0-14,
  written as ``classes``; ``frame_dir`` is the clip number (``0001``).
"""
import json
import os.path as osp
from typing import Dict, List, Tuple

import numpy as np

from .base import SkeletonConverter, files_with_suffix
from .keypoint2d import keypoint_extent, make_annotation_2d
from .report import ConversionReport, SampleError

NUM_JOINTS = 13
PENN_JOINTS = ('head', 'left_shoulder', 'right_shoulder', 'left_elbow',
               'right_elbow', 'left_wrist', 'right_wrist', 'left_hip',
               'right_hip', 'left_knee', 'right_knee', 'left_ankle',
               'right_ankle')
# COCO-17 index of each Penn joint (head -> nose).
PENN_TO_COCO = (0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)
PENN_CLASSES = ('baseball_pitch', 'baseball_swing', 'bench_press', 'bowl',
                'clean_and_jerk', 'golf_swing', 'jump_rope', 'jumping_jacks',
                'pullup', 'pushup', 'situp', 'squat', 'strum_guitar',
                'tennis_forehand', 'tennis_serve')

PENN_LAYOUT = dict(
    name='penn-action',
    num_node=NUM_JOINTS,
    # head is the root; shoulders hang from it, elbows from shoulders,
    # wrists from elbows, hips from the same side's shoulder, knees from
    # hips, ankles from knees (MMAction2's coco edges on these joints)
    parents=[0, 0, 0, 1, 2, 3, 4, 1, 2, 7, 8, 9, 10],
    center=0,
    flip_pairs=[[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12]],
    joint_names=list(PENN_JOINTS),
    # pixels (x, y); the third channel the pipeline appends is the score
    coord_dims=2,
)


def read_penn_json(path: str) -> Dict:
    """One clip's fields, with ``keypoint`` (T, 13, 2) and ``visible``
    (T, 13) as arrays.

    Raises:
        SampleError: Invalid JSON, missing fields, ragged or mis-sized
            arrays, NaN, a frame count that disagrees with ``nframes``.
    """
    try:
        with open(path, encoding='utf-8') as f:
            content = json.load(f)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SampleError('garbled file', str(error)[:80]) from None
    need = ('action', 'train', 'nframes', 'dimensions', 'x', 'y',
            'visibility')
    missing = [k for k in need if not isinstance(content, dict)
               or k not in content]
    if missing:
        raise SampleError('garbled file', f'no {", ".join(missing)} field')
    try:
        x = np.asarray(content['x'], dtype=np.float64)
        y = np.asarray(content['y'], dtype=np.float64)
        visible = np.asarray(content['visibility'], dtype=np.float64)
        height, width = (float(v) for v in content['dimensions'][:2])
    except (TypeError, ValueError):
        raise SampleError('garbled file', 'x, y, visibility or dimensions '
                          'are not numeric arrays') from None
    if x.size == 0:
        raise SampleError('zero frames')
    if x.ndim != 2 or x.shape[1] != NUM_JOINTS or y.shape != x.shape \
            or visible.shape != x.shape:
        raise SampleError(
            'wrong joint count', f'x {x.shape}, y {y.shape}, visibility '
            f'{visible.shape}; want (T, {NUM_JOINTS}) each')
    if content['nframes'] != x.shape[0]:
        raise SampleError('frame count mismatch',
                          f"nframes={content['nframes']}, x has "
                          f'{x.shape[0]} frames')
    keypoint = np.stack([x, y], axis=-1)
    if not (np.isfinite(keypoint).all() and np.isfinite(visible).all()):
        raise SampleError('non-finite coordinates', 'NaN or inf values')
    return dict(action=content['action'], train=content['train'],
                dimensions=(height, width), keypoint=keypoint,
                visible=visible)


def trim_missing_ends(keypoint: np.ndarray,
                      visible: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Drop leading and trailing frames whose joints are all (0, 0)."""
    annotated = np.flatnonzero((keypoint != 0).any(axis=(1, 2)))
    if annotated.size == 0:
        raise SampleError('no body', 'every frame is all (0, 0)')
    keep = slice(annotated[0], annotated[-1] + 1)
    return keypoint[keep], visible[keep]


class PennConverter(SkeletonConverter):
    """Convert the Penn Action label files (standard train/test split).

    Args:
        src (str): The ``penn-action`` folder (holding ``labels/``) or the
            ``labels`` folder itself.
    """

    split_names = ('train', 'test')
    num_classes = len(PENN_CLASSES)
    layout = PENN_LAYOUT

    def __init__(self, src: str) -> None:
        labels = osp.join(src, 'labels')
        self.src = labels if osp.isdir(labels) else src
        if not osp.isdir(self.src):
            raise FileNotFoundError(f'Penn Action folder not found: {src}')
        self._split: Dict[str, str] = {}
        self._trimmed: List[str] = []
        self._widened: List[str] = []

    def sources(self) -> List[str]:
        return files_with_suffix(self.src, '.json')

    def convert(self, source: str, report: ConversionReport) -> List[Dict]:
        name = self.source_name(source)
        clip = read_penn_json(source)
        if clip['action'] not in PENN_CLASSES:
            raise SampleError('unknown label',
                              f"action {clip['action']!r} is not a Penn "
                              'Action class')
        if clip['train'] not in (1, -1):
            raise SampleError('unknown split',
                              f"train={clip['train']!r}, want 1 or -1")
        keypoint, visible = trim_missing_ends(clip['keypoint'],
                                              clip['visible'])
        if len(keypoint) < len(clip['keypoint']):
            self._trimmed.append(name)
        # 1 for every joint of an annotated frame, 0 in a missing one
        score = np.repeat((keypoint != 0).any(axis=(1, 2))[:, None],
                          NUM_JOINTS, axis=1).astype(np.float64)
        stated = tuple(int(round(v)) for v in clip['dimensions'])
        extent = keypoint_extent(keypoint, score)
        img_shape = tuple(max(a, b) for a, b in zip(stated, extent))
        if img_shape != stated:
            self._widened.append(name)
        annotation = make_annotation_2d(
            name, PENN_CLASSES.index(clip['action']), keypoint[None],
            score[None], img_shape, NUM_JOINTS, original_shape=stated,
            keypoint_visible=(visible[None] > 0).astype(np.uint8))
        self._split[name] = 'train' if clip['train'] == 1 else 'test'
        return [annotation]

    def splits_of(self, annotation: Dict) -> List[str]:
        return [self._split[annotation['frame_dir']]]

    def top_level_fields(self) -> Dict:
        return dict(classes=list(PENN_CLASSES))

    def extra_summary(self) -> Dict:
        def listed(names):
            return f'{len(names)} ({", ".join(names[:6])}' + (
                ' ...)' if len(names) > 6 else ')')

        return {
            'all-(0, 0) end frames dropped in': listed(self._trimmed),
            'img_shape widened past dimensions in': listed(self._widened),
        }


def as_pose_estimates(clip: Dict) -> List[Dict]:
    """A clip of :func:`read_penn_json` as the per-frame entries that
    ``MMPoseInferencer(...)(video, pred_out_dir=DIR)`` writes for a video
    (see :mod:`.pose_estimates`): COCO-17 keypoints with Penn's head as
    the nose and the eyes and ears Penn lacks at (0, 0), score 0; score 1
    for Penn's joints; bbox the joints' extent. A frame whose joints are
    all (0, 0) has no instance, as a frame where nobody was detected.
    Stand-in pose estimates of real videos (README, "your own videos")."""
    frames = []
    for i, joints in enumerate(clip['keypoint']):
        instances = []
        if (joints != 0).any():
            keypoints = np.zeros((17, 2))
            scores = np.zeros(17)
            keypoints[list(PENN_TO_COCO)] = joints
            scores[list(PENN_TO_COCO)] = 1.0
            (x1, y1), (x2, y2) = joints.min(0), joints.max(0)
            instances.append(dict(
                keypoints=keypoints.tolist(),
                keypoint_scores=scores.tolist(),
                bbox=[[float(x1), float(y1), float(x2), float(y2)]],
                bbox_score=1.0))
        frames.append(dict(frame_id=i, instances=instances))
    return frames
