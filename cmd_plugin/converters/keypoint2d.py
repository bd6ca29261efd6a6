"""Checks and the annotation dict of 2D keypoint samples (pixels plus a
per-joint score), the counterpart of :mod:`.keypoint` for 3D.

MMAction2's 2D skeleton annotations hold ``keypoint`` (M, T, V, 2) in
pixels of the frame, ``keypoint_score`` (M, T, V), and ``img_shape`` /
``original_shape`` (h, w), which its 2D normalisation divides by. Both
arrays are stored as float16 like the 3D converters' coordinates: its
step is 0.5 px below 1024 px, 1 px below 2048 and 2 px below 4096 (4K
frames) -- under pose-estimator and annotator noise, and under 0.1% of
the frame after normalisation by its size.
"""
import math
from typing import Dict, Optional, Sequence, Tuple

import numpy as np

from .keypoint import _FLOAT16_MAX, finalize_keypoint
from .report import SampleError


def finalize_keypoint_2d(keypoint: np.ndarray, score: np.ndarray,
                         num_joints: int) -> Tuple[np.ndarray, np.ndarray]:
    """Validate 2D coordinates and scores and cast both to float16.

    Args:
        keypoint (np.ndarray): (M, T, V, 2) pixels.
        score (np.ndarray): (M, T, V).
        num_joints (int): Expected V.

    Raises:
        SampleError: Wrong shapes, no person or frame, NaN/inf, or values
            float16 cannot hold; reasons as :func:`.finalize_keypoint`'s.
    """
    keypoint = finalize_keypoint(np.asarray(keypoint), num_joints,
                                 channels=2)
    score = np.asarray(score)
    if score.shape != keypoint.shape[:3]:
        raise SampleError(
            'wrong shape', f'keypoint_score shape {score.shape}, want '
            f'{keypoint.shape[:3]} (one score per joint of keypoint)')
    if not np.isfinite(score).all():
        raise SampleError('non-finite scores', 'NaN or inf keypoint scores')
    if np.abs(score).max() > _FLOAT16_MAX:
        raise SampleError('non-finite scores',
                          'values beyond the float16 range')
    return keypoint, score.astype(np.float16)


def keypoint_extent(keypoint: np.ndarray,
                    score: np.ndarray) -> Tuple[int, int]:
    """(h, w): the smallest frame, from the origin, that holds every
    present joint (score > 0 or a non-zero coordinate); at least 1 x 1."""
    present = (score > 0) | (keypoint != 0).any(-1)
    if not present.any():
        return 1, 1
    # of the coordinates as stored (float16), which can round up
    points = keypoint[present].astype(np.float16).astype(np.float64)
    return (max(1, math.ceil(float(points[:, 1].max()))),
            max(1, math.ceil(float(points[:, 0].max()))))


def check_img_shape(value, where: str) -> Tuple[int, int]:
    """``value`` as a (h, w) tuple of positive ints.

    Raises:
        SampleError: Not two positive finite numbers; ``where`` says whose.
    """
    try:
        h, w = (float(v) for v in value)
    except (TypeError, ValueError):
        raise SampleError('bad img_shape',
                          f'{where} is {value!r}, want (height, width)'
                          ) from None
    if not (math.isfinite(h) and math.isfinite(w) and h >= 1 and w >= 1):
        raise SampleError('bad img_shape',
                          f'{where} is {value!r}, want positive (h, w)')
    return int(round(h)), int(round(w))


def make_annotation_2d(name: str,
                       label: Optional[int],
                       keypoint: np.ndarray,
                       score: np.ndarray,
                       img_shape: Sequence[int],
                       num_joints: int,
                       original_shape: Optional[Sequence[int]] = None,
                       **extra) -> Dict:
    """One annotation in MMAction2's 2D skeleton format, after the checks
    of :func:`finalize_keypoint_2d`.

    Args:
        name (str): ``frame_dir``.
        label (int, optional): 0-based class index.
        keypoint (np.ndarray): (M, T, V, 2) pixels.
        score (np.ndarray): (M, T, V).
        img_shape (tuple): (h, w) the coordinates are relative to.
        num_joints (int): Expected V.
        original_shape (tuple, optional): (h, w) of the source video;
            defaults to ``img_shape``.
        **extra: Further per-sample fields (e.g. ``keypoint_visible``).
    """
    keypoint, score = finalize_keypoint_2d(keypoint, score, num_joints)
    img_shape = tuple(int(v) for v in img_shape)
    annotation = dict(
        frame_dir=name,
        label=label,
        total_frames=int(keypoint.shape[1]),
        img_shape=img_shape,
        original_shape=tuple(int(v) for v in original_shape)
        if original_shape is not None else img_shape,
        keypoint=keypoint,
        keypoint_score=score)
    annotation.update(extra)
    return annotation


def outside_fraction(keypoint: np.ndarray, score: np.ndarray,
                     img_shape: Sequence[int], margin: float = 0.05) -> float:
    """Share of present joints lying more than ``margin`` (of the frame
    size) outside ``img_shape`` -- a sign of a wrong frame size, since
    normalising by it then leaves [-1, 1] far behind."""
    present = (score > 0) | (keypoint != 0).any(-1)
    if not present.any():
        return 0.0
    points = keypoint[present].astype(np.float64)
    h, w = img_shape
    out = ((points[:, 0] < -margin * w) | (points[:, 0] > (1 + margin) * w)
           | (points[:, 1] < -margin * h) | (points[:, 1] > (1 + margin) * h))
    return float(out.mean())
