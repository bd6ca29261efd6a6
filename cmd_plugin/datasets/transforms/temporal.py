"""Temporal crop-and-resize of skeleton sequences (CMD, docs/cmd.md §5)."""
import math
from typing import Dict, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from .checks import check_keypoint
from .rng import pipeline_rng


def resample_frames(array: np.ndarray,
                    start: int,
                    length: int,
                    clip_len: int,
                    align_corners: bool = False) -> np.ndarray:
    """Linearly resample frames ``[start, start + length)`` to ``clip_len``.

    Args:
        array (np.ndarray): Time is axis 1, e.g. keypoint (M, T, V, C) or
            keypoint_score (M, T, V).
        start (int): First frame of the window.
        length (int): Number of frames in the window, at least 1.
        clip_len (int): Number of output frames.
        align_corners (bool): If False, frame centres are aligned as in
            ``torch.nn.functional.interpolate(mode='linear')``, clamping at
            the edges: the grid of the authors' CMD and SCD-Net pipelines
            (``docs/cmd.md §5``, checked against their numbers in
            ``tests/parity``). If True the first and last output frames are
            exactly the window's first and last frames, the grid this
            project used before. Defaults to False.

    Returns:
        np.ndarray: float32, time axis of size ``clip_len``.
    """
    # Plain arithmetic instead of np.linspace: this runs per sample and
    # linspace's overhead alone exceeded the rest of the interpolation.
    pos = np.arange(clip_len, dtype=np.float64)
    if align_corners:
        pos *= (length - 1) / (clip_len - 1) if clip_len > 1 else 0.0
    else:
        pos = (pos + 0.5) * (length / clip_len) - 0.5
        np.clip(pos, 0.0, length - 1, out=pos)
    lo = pos.astype(np.intp)  # pos >= 0: truncation is floor
    hi = np.minimum(lo + 1, length - 1)
    weight = (pos - lo).astype(np.float32)
    weight = weight.reshape((1, clip_len) + (1, ) * (array.ndim - 2))
    # Index before casting: only clip_len frames are converted, not all T.
    first = np.take(array, start + lo, axis=1).astype(np.float32, copy=False)
    second = np.take(array, start + hi, axis=1).astype(np.float32, copy=False)
    return first + (second - first) * weight


def _resample_results(results: Dict, start: int, length: int, clip_len: int,
                      align_corners: bool) -> Dict:
    for key in ('keypoint', 'keypoint_score'):
        if key in results:
            results[key] = resample_frames(
                np.asarray(results[key]), start, length, clip_len,
                align_corners)
    results['total_frames'] = clip_len
    return results


@TRANSFORMS.register_module()
class TemporalCropResize(BaseTransform):
    """Randomly crop a window of the valid frames and resize it in time.

    With ``T_v = total_frames`` (frames beyond it are padding and never
    used), a scale ``s ~ U(scale_range)`` gives the window length
    ``L = min(max(floor(s * T_v), min_length), T_v)``; the start is uniform
    over ``[0, T_v - L]``; the window is linearly interpolated to
    ``clip_len`` frames. Sequences shorter than ``clip_len`` are stretched,
    a 1-frame sequence is repeated. Random draws use :func:`pipeline_rng`.

    Required Keys:

        - keypoint (M, T, V, C)
        - total_frames (optional, defaults to T)
        - keypoint_score (optional, resampled alike)

    Modified Keys:

        - keypoint: (M, clip_len, V, C) float32
        - keypoint_score (optional): (M, clip_len, V) float32
        - total_frames: clip_len

    Args:
        clip_len (int): Output frames. Defaults to 64.
        scale_range (tuple[float, float]): Range of the crop scale ``s``,
            within (0, 1]. Defaults to (0.1, 1.0).
        min_length (int): Minimum window length before clamping to T_v.
            Defaults to 64.
        align_corners (bool): Interpolation grid, see
            :func:`resample_frames`. Defaults to False, the authors'
            grid.
    """

    # filled from the dataset (cmd_plugin/datasets/data_settings.py)
    data_settings = dict(clip_len='clip_len', min_length='min_crop_length')

    def __init__(self,
                 clip_len: int = 64,
                 scale_range: Tuple[float, float] = (0.1, 1.0),
                 min_length: int = 64,
                 align_corners: bool = False) -> None:
        if clip_len < 1:
            raise ValueError(f'TemporalCropResize: clip_len must be >= 1, '
                             f'got {clip_len}')
        low, high = (float(v) for v in scale_range)
        if not 0 < low <= high <= 1:
            raise ValueError('TemporalCropResize: scale_range must satisfy '
                             f'0 < low <= high <= 1, got {scale_range}')
        if min_length < 1:
            raise ValueError(f'TemporalCropResize: min_length must be >= 1, '
                             f'got {min_length}')
        self.clip_len = clip_len
        self.scale_range = (low, high)
        self.min_length = min_length
        self.align_corners = align_corners

    def transform(self, results: Dict) -> Dict:
        """Crop and resize ``results['keypoint']`` in time.

        Args:
            results (dict): The sample.

        Returns:
            dict: The sample, modified in place.
        """
        _, valid = check_keypoint(results, 'TemporalCropResize')
        rng = pipeline_rng()
        scale = rng.uniform(*self.scale_range)
        length = min(max(math.floor(scale * valid), self.min_length), valid)
        start = int(rng.integers(0, valid - length + 1))
        return _resample_results(results, start, length, self.clip_len,
                                 self.align_corners)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'scale_range={self.scale_range}, '
                f'min_length={self.min_length}, '
                f'align_corners={self.align_corners})')


@TRANSFORMS.register_module()
class CenterCropResize(BaseTransform):
    """Keep the central ``ratio`` of the valid frames, resized in time.

    Deterministic evaluation counterpart of :class:`TemporalCropResize`.
    With ``T_v = total_frames``::

        start  = int((1 - ratio) * T_v / 2)
        length = T_v - 2 * start

    so the default ratio 0.95 gives CMD's ``start = int(0.05 * T_v / 2)``
    exactly (``1 - ratio`` is rounded to 12 decimals first, because
    ``1 - 0.95`` is 0.05000000000000004 in floating point). The window is
    then linearly interpolated to ``clip_len`` frames.

    Required Keys:

        - keypoint (M, T, V, C)
        - total_frames (optional, defaults to T)
        - keypoint_score (optional, resampled alike)

    Modified Keys:

        - keypoint: (M, clip_len, V, C) float32
        - keypoint_score (optional): (M, clip_len, V) float32
        - total_frames: clip_len

    Args:
        clip_len (int): Output frames. Defaults to 64.
        ratio (float): Fraction of the valid frames kept, in (0, 1].
            Defaults to 0.95.
        align_corners (bool): Interpolation grid, see
            :func:`resample_frames`. Defaults to False, the authors'
            grid.
    """

    # filled from the dataset (cmd_plugin/datasets/data_settings.py)
    data_settings = dict(clip_len='clip_len')

    def __init__(self,
                 clip_len: int = 64,
                 ratio: float = 0.95,
                 align_corners: bool = False) -> None:
        if clip_len < 1:
            raise ValueError(f'CenterCropResize: clip_len must be >= 1, '
                             f'got {clip_len}')
        if not 0 < ratio <= 1:
            raise ValueError(f'CenterCropResize: ratio must be in (0, 1], '
                             f'got {ratio}')
        self.clip_len = clip_len
        self.ratio = ratio
        self.align_corners = align_corners
        self._margin = round(1.0 - ratio, 12)

    def window(self, valid: int) -> Tuple[int, int]:
        """Return ``(start, length)`` of the window kept from ``valid``."""
        start = int(self._margin * valid / 2)
        return start, valid - 2 * start

    def transform(self, results: Dict) -> Dict:
        """Centre-crop and resize ``results['keypoint']`` in time.

        Args:
            results (dict): The sample.

        Returns:
            dict: The sample, modified in place.
        """
        _, valid = check_keypoint(results, 'CenterCropResize')
        start, length = self.window(valid)
        return _resample_results(results, start, length, self.clip_len,
                                 self.align_corners)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'ratio={self.ratio}, align_corners={self.align_corners})')
