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
    dims = results.get('coord_dims', keypoint.shape[-1])
    if require_xyz and (keypoint.shape[-1] != 3 or dims != 3):
        raise ValueError(
            f'{transform}: needs 3-D coordinates (C=3), got C='
            f'{keypoint.shape[-1]} with {dims} coordinates{where}; it '
            'applies to 3-D skeletons only. For 2-D keypoints (x, y, '
            "score) start the pipeline with dict(type='PreNormalizeSkeleton'),"
            ' which takes PreNormalizeImage2D + AppendKeypointScore for 2-D '
            'layouts')
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


# what a geometric transform can act on: x, y (image) or x, y, z
GEOMETRIC_DIMS = (2, 3)


def coordinate_channels(results: Dict, keypoint: np.ndarray,
                        transform: str) -> int:
    """How many leading channels of ``keypoint`` are coordinates.

    ``results['coord_dims']`` says so when the sample carries a keypoint
    score after its coordinates (set by ``SkeletonDataset`` from the
    layout and by ``AppendKeypointScore``); without it every channel is a
    coordinate. A geometric transform maps only these channels: a score is
    never rotated, sheared or mixed like a coordinate.

    Raises:
        ValueError: Not 2 or 3 coordinates, or more than the channels,
            naming the transform and the fix.
    """
    channels = keypoint.shape[-1]
    dims = results.get('coord_dims', channels)
    if isinstance(dims, bool) or not isinstance(dims, (int, np.integer)) \
            or not 1 <= dims <= channels:
        raise ValueError(
            f'{transform}: coord_dims={dims!r} is not a number of '
            f'coordinate channels of keypoint with C={channels}'
            f'{_where(results)}; it is set by the dataset (from the layout) '
            'and by AppendKeypointScore -- do not set it by hand')
    if dims not in GEOMETRIC_DIMS:
        raise ValueError(
            f'{transform}: acts on 2-D (x, y) or 3-D (x, y, z) coordinates, '
            f'but the sample has {dims} coordinate channels (keypoint C='
            f'{channels}){_where(results)}. If the last channel is a '
            'keypoint score, append it with AppendKeypointScore (which '
            'tells this transform to leave it alone); else fix the data.')
    return int(dims)


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
