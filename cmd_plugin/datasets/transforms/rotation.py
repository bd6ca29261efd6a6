"""Random rotation about the coordinate axes (SCD-Net, spec §3.3).

On 2-D image keypoints only one rotation keeps the skeleton in the image
plane: the one about the image normal (z). Rotations about x and y would
need the depth the keypoints lack, so there the augmentation is an
in-plane rotation by the main axis's angle.
"""
import math
from typing import Sequence, Tuple

import numpy as np

from mmaction.registry import TRANSFORMS
from .keypoint_transform import KeypointTransform
from .rng import pipeline_rng
from .spatial import apply_matrix


def rotation_matrix(angles: Sequence[float]) -> np.ndarray:
    """``R_z(c) R_y(b) R_x(a)`` for ``angles = (a, b, c)`` in radians.

    Each factor is the right-handed rotation about its axis; the rotation
    about x is applied first, then y, then z. Written out in closed form:
    composing three matrices cost more than rotating a whole sample.
    """
    ca, cb, cc = (math.cos(v) for v in angles)
    sa, sb, sc = (math.sin(v) for v in angles)
    return np.array([
        [cb * cc, sa * sb * cc - ca * sc, ca * sb * cc + sa * sc],
        [cb * sc, sa * sb * sc + ca * cc, ca * sb * sc - sa * cc],
        [-sb, sa * cb, ca * cb],
    ])


def _check_range(name: str, value: Sequence[float]) -> Tuple[float, float]:
    low, high = (float(v) for v in value)
    if not (math.isfinite(low) and math.isfinite(high) and low <= high):
        raise ValueError(f'RandomAxisRotation: {name} must be (low, high) '
                         f'degrees with low <= high, got {value}')
    return low, high


@TRANSFORMS.register_module()
class RandomAxisRotation(KeypointTransform):
    """Rotate every joint about x, y and z, one "main" axis the most.

    Per call a main axis is drawn uniformly from x, y, z; its angle is
    ``U(main_range)`` degrees, the other two axes' angles ``U(other_range)``
    degrees (SCD-Net: U(0, 30) and U(0, 1)). The rotations are applied
    about x, then y, then z (:func:`rotation_matrix`) to the xyz of every
    joint, frame and person, so zero-padded persons stay zero.

    Required Keys:

        - keypoint (M, T, V, 3)

    Modified Keys:

        - keypoint: float32 (a new array)

    Args:
        main_range (tuple[float, float]): Degrees for the main axis.
            Defaults to (0, 30).
        other_range (tuple[float, float]): Degrees for the other two axes.
            Defaults to (0, 1).
    """

    def __init__(self,
                 main_range: Tuple[float, float] = (0.0, 30.0),
                 other_range: Tuple[float, float] = (0.0, 1.0)) -> None:
        self.main_range = _check_range('main_range', main_range)
        self.other_range = _check_range('other_range', other_range)

    def sample_angles(self, rng: np.random.Generator) -> Tuple[int, tuple]:
        """Draw the main axis, then the x, y, z angles in degrees."""
        main = int(rng.integers(3))
        # One draw for the three angles: scalar draws cost more than the
        # rotation itself.
        ranges = [
            self.main_range if axis == main else self.other_range
            for axis in range(3)
        ]
        unit = rng.random(3)
        angles = tuple(low + float(u) * (high - low)
                       for (low, high), u in zip(ranges, unit))
        return main, angles

    def sample_angle_2d(self, rng: np.random.Generator) -> float:
        """Draw the in-plane angle of 2-D keypoints, degrees."""
        low, high = self.main_range
        return low + float(rng.random()) * (high - low)

    geometric = True

    def apply_coords(self, keypoint: np.ndarray, valid: int,
                     coord_dims: int) -> np.ndarray:
        """The rotated keypoints."""
        rng = pipeline_rng()
        if coord_dims == 2:
            angle = math.radians(self.sample_angle_2d(rng))
            cos, sin = math.cos(angle), math.sin(angle)
            matrix = np.array([[cos, -sin], [sin, cos]])
        else:
            _, degrees = self.sample_angles(rng)
            matrix = rotation_matrix([math.radians(d) for d in degrees])
        return apply_matrix(keypoint.astype(np.float32, copy=False),
                            matrix.astype(np.float32))

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(main_range={self.main_range}, '
                f'other_range={self.other_range})')
