"""Checks every converter applies before a sample goes into the pickle."""
from typing import Dict, Optional

import numpy as np

from .report import SampleError

# Largest finite float16; the file format stores coordinates in float16.
_FLOAT16_MAX = float(np.finfo(np.float16).max)


def drop_empty_bodies(keypoint: np.ndarray) -> np.ndarray:
    """Remove persons whose coordinates are zero in every frame.

    MMAction2's own NTU pickles keep only persons that appear, so M is 1 or
    2 per sample and ``FormatGCNInput(num_person=...)`` pads at load time.

    Args:
        keypoint (np.ndarray): (M, T, V, C).

    Returns:
        np.ndarray: (M', T, V, C), M' <= M, person order kept.
    """
    # `!= 0` rather than a sum: NaN counts as present, so it is reported
    # as non-finite later instead of vanishing with an "empty" person.
    present = (keypoint != 0).any(axis=tuple(range(1, keypoint.ndim)))
    return keypoint[present]


def finalize_keypoint(keypoint: np.ndarray,
                      num_joints: Optional[int] = None,
                      channels: int = 3) -> np.ndarray:
    """Validate raw coordinates and cast them to the stored float16.

    Args:
        keypoint (np.ndarray): (M, T, V, C) raw coordinates.
        num_joints (int, optional): Expected V.
        channels (int): Expected C: 3 (x, y, z), or 2 (pixels).

    Returns:
        np.ndarray: float16 copy of ``keypoint``.

    Raises:
        SampleError: No person, no frame, wrong joint count or coordinate
            count, NaN/inf, or values float16 cannot hold.
    """
    if keypoint.ndim != 4 or keypoint.shape[-1] != channels:
        raise SampleError('wrong shape', f'keypoint shape {keypoint.shape}, '
                          f'want (M,T,V,{channels})')
    if num_joints is not None and keypoint.shape[2] != num_joints:
        raise SampleError('wrong joint count',
                          f'{keypoint.shape[2]} joints, want {num_joints}')
    if keypoint.shape[1] == 0:
        raise SampleError('zero frames')
    if keypoint.shape[0] == 0:
        raise SampleError('no body')
    if not np.isfinite(keypoint).all():
        raise SampleError('non-finite coordinates', 'NaN or inf values')
    if np.abs(keypoint).max() > _FLOAT16_MAX:
        raise SampleError('non-finite coordinates',
                          'values beyond the float16 range')
    return keypoint.astype(np.float16)


def make_annotation(name: str, label: int, keypoint: np.ndarray,
                    num_joints: int, no_body: str) -> Dict:
    """One annotation in MMAction2's skeleton format, after the checks of
    :func:`finalize_keypoint`.

    Args:
        name (str): ``frame_dir``, the sample's name.
        label (int): 0-based class index.
        keypoint (np.ndarray): (M, T, V, 3) persons kept.
        num_joints (int): Expected V.
        no_body (str): Why M == 0 would happen, for the report.
    """
    if keypoint.shape[0] == 0:
        raise SampleError('no body', no_body)
    keypoint = finalize_keypoint(keypoint, num_joints)
    return dict(frame_dir=name, label=label, keypoint=keypoint,
                total_frames=keypoint.shape[1])
