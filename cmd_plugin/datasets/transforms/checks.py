"""Input checks shared by the skeleton transforms.

A malformed sample deep inside a DataLoader worker otherwise surfaces as an
obscure broadcasting error or, worse, as NaN losses many iterations later;
these checks name the transform, the sample and the fix instead.
"""
from typing import Dict, Tuple, Union

import numpy as np

from ...skeleton.layouts import get_layout, layout_name


def _where(results: Dict) -> str:
    name = results.get('frame_dir')
    return f' (sample {name!r})' if name is not None else ''


def check_keypoint(results: Dict,
                   transform: str,
                   require_xyz: bool = False) -> Tuple[np.ndarray, int]:
    """Validate ``results['keypoint']`` and return it with its valid length.

    Args:
        results (dict): The sample. ``keypoint`` is (M, T, V, C);
            ``total_frames`` (optional, defaults to T) is the number of valid
            frames, frames beyond it being padding.
        transform (str): Name used in error messages.
        require_xyz (bool): Whether C must be 3. Defaults to False.

    Returns:
        tuple[np.ndarray, int]: The keypoint array and the valid length T_v.

    Raises:
        ValueError: If the keypoint is missing, not 4-D, has C != 3 when
            ``require_xyz``, is empty, holds NaN/inf, or ``total_frames`` is
            out of range.
    """
    where = _where(results)
    if 'keypoint' not in results:
        raise ValueError(f'{transform}: no "keypoint" in the sample{where}; '
                         'load a skeleton annotation before this transform')
    keypoint = np.asarray(results['keypoint'])
    if keypoint.ndim != 4:
        raise ValueError(
            f'{transform}: keypoint must be 4-D (M, T, V, C), got shape '
            f'{keypoint.shape}{where}; apply this transform before '
            'FormatGCNInput and check the annotation file')
    if require_xyz and keypoint.shape[-1] != 3:
        raise ValueError(
            f'{transform}: needs 3-D coordinates (C=3), got C='
            f'{keypoint.shape[-1]}{where}; it applies to 3-D skeletons only')
    num_frames = keypoint.shape[1]
    valid = int(results.get('total_frames', num_frames))
    if num_frames == 0 or valid < 1 or keypoint.size == 0:
        raise ValueError(
            f'{transform}: empty sequence (keypoint shape {keypoint.shape}, '
            f'total_frames={valid}){where}; check the annotation file / drop '
            'empty samples')
    if valid > num_frames:
        raise ValueError(
            f'{transform}: total_frames={valid} exceeds the {num_frames} '
            f'frames of keypoint{where}; the annotation is inconsistent')
    if not np.isfinite(keypoint).all():
        raise ValueError(
            f'{transform}: keypoint contains NaN or inf{where}; check the '
            'annotation file (missing joints should be 0, not NaN)')
    return keypoint, valid


def describe_layout(layout: Union[str, dict]) -> str:
    """A layout's name for messages and reprs, also for unnamed dicts."""
    return layout_name(layout) or (
        f"{get_layout(layout)['num_node']}-joint dict")


def check_num_joints(results: Dict, keypoint: np.ndarray,
                     layout: Union[str, dict], transform: str) -> None:
    """Raise unless ``keypoint`` (M, T, V, C) has the layout's V joints."""
    num_node = int(get_layout(layout)['num_node'])
    if keypoint.shape[2] != num_node:
        raise ValueError(
            f'{transform}: keypoint has V={keypoint.shape[2]} joints but '
            f'layout {describe_layout(layout)!r} has {num_node}'
            f'{_where(results)}; set the layout to match the data (on the '
            'dataset, which fills it into the pipeline)')
