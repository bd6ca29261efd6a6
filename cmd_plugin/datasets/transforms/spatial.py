"""Spatial augmentations of 3-D skeletons (CMD, docs/cmd.md §5)."""
from typing import Optional

import numpy as np

from mmaction.registry import TRANSFORMS
from .keypoint_transform import KeypointTransform
from .rng import pipeline_rng


def apply_matrix(points: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Return ``matrix @ x`` for every xyz ``x`` along the last axis.

    One (N, 3) x (3, 3) product: numpy's broadcasting matmul over the
    leading (M, T, V) axes is about twice as slow on a typical sample.
    """
    flat = points.reshape(-1, 3) @ matrix.T
    return flat.reshape(points.shape)


@TRANSFORMS.register_module()
class Shear(KeypointTransform):
    """Apply one random shear matrix to every joint of the sample.

    ``x' = S x`` for each joint's xyz ``x`` (a column vector), with::

        S = [[1, a, b],
             [c, 1, d],
             [e, f, 1]],   a..f ~ U(-magnitude, magnitude)

    drawn once per call (all persons and frames share ``S``). The map is
    linear, so zero-padded persons and frames stay zero.

    Required Keys:

        - keypoint (M, T, V, 3)

    Modified Keys:

        - keypoint: float32

    Args:
        magnitude (float): Bound of the off-diagonal entries. Defaults to
            1.0.
    """

    def __init__(self, magnitude: float = 1.0) -> None:
        if magnitude < 0:
            raise ValueError(f'Shear: magnitude must be >= 0, got {magnitude}')
        self.magnitude = magnitude

    def sample_matrix(self, rng: np.random.Generator) -> np.ndarray:
        """Draw S; off-diagonals are filled row-major (a, b, c, d, e, f)."""
        matrix = np.eye(3)
        matrix[~np.eye(3, dtype=bool)] = rng.uniform(
            -self.magnitude, self.magnitude, size=6)
        return matrix

    require_xyz = True

    def apply(self, keypoint: np.ndarray, valid: int) -> np.ndarray:
        """The sheared keypoints."""
        matrix = self.sample_matrix(pipeline_rng()).astype(np.float32)
        return apply_matrix(keypoint.astype(np.float32, copy=False), matrix)

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(magnitude={self.magnitude})'


@TRANSFORMS.register_module()
class JointCorruption(KeypointTransform):
    """Zero or randomly mix the coordinates of a random subset of joints.

    ``num_joints`` distinct joints are chosen (the same ones for every frame
    and person). With probability ``zero_prob`` they are set to 0; otherwise
    their xyz ``x`` becomes ``R x`` with one random 3x3 matrix ``R``, entries
    ~ U(-1, 1). Zero-padded persons and frames stay zero either way.

    Required Keys:

        - keypoint (M, T, V, 3)

    Modified Keys:

        - keypoint: float32 (a new array; the input is not written to)

    Args:
        num_joints (int, optional): Joints corrupted per sample; must not
            exceed V. Defaults to 15 (the published count for 25 joints)
            unless ``ratio`` is given.
        zero_prob (float): Probability of zeroing instead of mixing.
            Defaults to 0.5.
        ratio (float, optional): Instead of ``num_joints``, the fraction of
            the sample's joints, rounded: 0.6 is 15 of 25 and 12 of 20, so
            the setting carries over to another layout.
    """

    def __init__(self,
                 num_joints: Optional[int] = None,
                 zero_prob: float = 0.5,
                 ratio: Optional[float] = None) -> None:
        if num_joints is not None and ratio is not None:
            raise ValueError('JointCorruption: give num_joints or ratio, '
                             'not both')
        if ratio is not None and not 0 <= ratio <= 1:
            raise ValueError(
                f'JointCorruption: ratio must be in [0, 1], got {ratio}')
        if num_joints is None and ratio is None:
            num_joints = 15
        if num_joints is not None and num_joints < 0:
            raise ValueError(
                f'JointCorruption: num_joints must be >= 0, got {num_joints}')
        if not 0 <= zero_prob <= 1:
            raise ValueError(f'JointCorruption: zero_prob must be in [0, 1], '
                             f'got {zero_prob}')
        self.num_joints = num_joints
        self.ratio = ratio
        self.zero_prob = zero_prob

    require_xyz = True

    def apply(self, keypoint: np.ndarray, valid: int) -> np.ndarray:
        """The keypoints with some joints zeroed or mixed."""
        num_all = keypoint.shape[2]
        count = self.num_joints
        if self.ratio is not None:
            count = int(round(self.ratio * num_all))
        if count > num_all:
            raise ValueError(
                f'JointCorruption: num_joints={count} exceeds the '
                f'{num_all} joints of the skeleton; lower num_joints for '
                'this layout or give ratio= instead')
        rng = pipeline_rng()
        joints = rng.choice(num_all, size=count, replace=False)
        # Copy: the input may be shared with another view or the dataset.
        keypoint = keypoint.astype(np.float32, copy=True)
        if rng.random() < self.zero_prob:
            keypoint[:, :, joints] = 0
        else:
            matrix = rng.uniform(-1, 1, size=(3, 3)).astype(np.float32)
            keypoint[:, :, joints] = apply_matrix(keypoint[:, :, joints],
                                                  matrix)
        return keypoint

    def __repr__(self) -> str:
        amount = (f'ratio={self.ratio}' if self.ratio is not None else
                  f'num_joints={self.num_joints}')
        return (f'{self.__class__.__name__}({amount}, '
                f'zero_prob={self.zero_prob})')
