"""Spatial augmentations of skeletons (CMD, docs/cmd.md §5).

Written for 3-D (x, y, z) joints; on 2-D image keypoints the same
augmentation acts in the image plane (a 2x2 shear, a 2x2 mixing matrix),
and a keypoint score after the coordinates is never mapped like one.
"""
from typing import Optional

import numpy as np

from mmaction.registry import TRANSFORMS
from .keypoint_transform import KeypointTransform
from .rng import pipeline_rng


def apply_matrix(points: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Return ``matrix @ x`` for the coordinates ``x`` of every joint.

    A (d, d) matrix maps the first d channels of the last axis; channels
    after them (a keypoint score) are copied unchanged. One (N, d) x (d, d)
    product: numpy's broadcasting matmul over the leading (M, T, V) axes is
    about twice as slow on a typical sample.
    """
    dims = matrix.shape[0]
    if points.shape[-1] == dims:
        flat = points.reshape(-1, dims) @ matrix.T
        return flat.reshape(points.shape)
    out = np.array(points, dtype=np.result_type(points, matrix))
    out[..., :dims] = apply_matrix(
        np.ascontiguousarray(points[..., :dims]), matrix)
    return out


@TRANSFORMS.register_module()
class Shear(KeypointTransform):
    """Apply one random shear matrix to every joint of the sample.

    ``x' = S x`` for each joint's xyz ``x`` (a column vector), with::

        S = [[1, a, b],
             [c, 1, d],
             [e, f, 1]],   a..f ~ U(-magnitude, magnitude)

    drawn once per call (all persons and frames share ``S``). The map is
    linear, so zero-padded persons and frames stay zero. On 2-D keypoints
    (x, y) ``S = [[1, a], [b, 1]]``, the same shear in the image plane; a
    score channel after the coordinates is kept as it is.

    Required Keys:

        - keypoint (M, T, V, C): 3-D (x, y, z) or 2-D (x, y) coordinates,
          optionally followed by a score (see ``coord_dims``)
        - coord_dims (optional): coordinate channels, default C

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

    def sample_matrix(self, rng: np.random.Generator,
                      dims: int = 3) -> np.ndarray:
        """Draw S (dims x dims); off-diagonals are filled row-major (a, b,
        c, d, e, f in 3-D; a, b in 2-D)."""
        matrix = np.eye(dims)
        matrix[~np.eye(dims, dtype=bool)] = rng.uniform(
            -self.magnitude, self.magnitude, size=dims * (dims - 1))
        return matrix

    geometric = True

    def apply_coords(self, keypoint: np.ndarray, valid: int,
                     coord_dims: int) -> np.ndarray:
        """The sheared keypoints."""
        matrix = self.sample_matrix(pipeline_rng(),
                                    coord_dims).astype(np.float32)
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

    On 2-D keypoints ``R`` is 2x2 and maps (x, y). A zeroed joint is a
    missing joint: its score (the channel after the coordinates, or
    ``keypoint_score``) becomes 0 too; a mixed joint keeps its score, which
    is never mixed with the coordinates.

    Required Keys:

        - keypoint (M, T, V, C): 3-D (x, y, z) or 2-D (x, y) coordinates,
          optionally followed by a score (see ``coord_dims``)
        - coord_dims (optional): coordinate channels, default C
        - keypoint_score (optional)

    Modified Keys:

        - keypoint: float32 (a new array; the input is not written to)
        - keypoint_score (optional): 0 where a joint was zeroed

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

    geometric = True
    zeroes_joints = True

    def apply_coords(self, keypoint: np.ndarray, valid: int,
                     coord_dims: int) -> np.ndarray:
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
            matrix = rng.uniform(
                -1, 1, size=(coord_dims, coord_dims)).astype(np.float32)
            keypoint[:, :, joints] = apply_matrix(keypoint[:, :, joints],
                                                  matrix)
        return keypoint

    def __repr__(self) -> str:
        amount = (f'ratio={self.ratio}' if self.ratio is not None else
                  f'num_joints={self.num_joints}')
        return (f'{self.__class__.__name__}({amount}, '
                f'zero_prob={self.zero_prob})')
