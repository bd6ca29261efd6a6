"""Shear and JointCorruption."""
import numpy as np
import pytest

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets.transforms import (JointCorruption, Shear,
                                            pipeline_rng, seed_pipeline_rng)
from tests.datasets.transforms.helpers import random_sample

pytestmark = pytest.mark.usefixtures('seeded_pipeline_rng')


def _sample(persons: int = 2, frames: int = 10, joints: int = 25) -> dict:
    sample = random_sample(
        persons, frames, seed=1, joints=joints, uniform=True)
    sample['keypoint'][1, 6:] = 0  # second person leaves: zero padding
    return sample


def _fit_matrix(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Least-squares S with after = S @ before for xyz column vectors."""
    solution, *_ = np.linalg.lstsq(
        before.reshape(-1, 3), after.reshape(-1, 3), rcond=None)
    return solution.T


def test_shear_applies_unit_diagonal_matrix():
    sample = _sample()
    original = sample['keypoint'].copy()
    seed_pipeline_rng(42)
    out = Shear()(sample)['keypoint']
    seed_pipeline_rng(42)
    expected = Shear().sample_matrix(pipeline_rng())

    assert out.shape == original.shape and out.dtype == np.float32
    matrix = _fit_matrix(original, out)
    np.testing.assert_allclose(matrix, expected, atol=1e-5)
    np.testing.assert_allclose(np.diag(matrix), 1, atol=1e-5)
    off_diagonal = matrix[~np.eye(3, dtype=bool)]
    assert np.all(np.abs(off_diagonal) <= 1)
    assert np.all(np.abs(off_diagonal) > 1e-3)  # not the identity
    np.testing.assert_allclose(
        out, np.einsum('ij,mtvj->mtvi', expected, original), atol=1e-5)
    np.testing.assert_array_equal(out[1, 6:], 0)


def test_shear_magnitude_bounds_entries():
    matrix = Shear(magnitude=0.1).sample_matrix(pipeline_rng())
    assert np.all(np.abs(matrix - np.eye(3)) <= 0.1)
    assert 'magnitude=0.1' in repr(Shear(magnitude=0.1))


def _changed_joints(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Joints changed anywhere, checking every frame/person agrees."""
    changed = np.any(before != after, axis=-1)  # (M, T, V)
    live = np.any(before != 0, axis=-1)
    # A corrupted joint changes wherever it is non-zero, nowhere else.
    per_joint = changed[live.nonzero()[:2]].any(axis=0)
    np.testing.assert_array_equal(changed, live & per_joint[None, None])
    return np.flatnonzero(per_joint)


@pytest.mark.parametrize('zero_prob', [0.0, 1.0])
def test_joint_corruption_touches_exactly_num_joints(zero_prob):
    for seed in range(5):
        seed_pipeline_rng(seed)
        sample = _sample()
        original = sample['keypoint'].copy()
        out = JointCorruption(
            num_joints=15, zero_prob=zero_prob)(sample)['keypoint']
        joints = _changed_joints(original, out)
        assert len(joints) == 15
        np.testing.assert_array_equal(out[1, 6:], 0)
        if zero_prob == 1.0:
            np.testing.assert_array_equal(out[:, :, joints], 0)
        else:
            matrix = _fit_matrix(original[:, :, joints], out[:, :, joints])
            np.testing.assert_allclose(
                out[:, :, joints],
                np.einsum('ij,mtvj->mtvi', matrix, original[:, :, joints]),
                atol=1e-5)
            assert np.all(np.abs(matrix) <= 1 + 1e-5)


def test_joint_corruption_does_not_write_to_input():
    sample = _sample()
    original = sample['keypoint']
    copy = original.copy()
    JointCorruption(zero_prob=1.0)(sample)
    np.testing.assert_array_equal(original, copy)


def test_joint_corruption_mixes_both_branches():
    zeroed = 0
    for _ in range(200):
        out = JointCorruption(num_joints=3)(_sample(frames=2))['keypoint']
        zeroed += int(np.all(out == 0, axis=-1).any())
    assert 60 < zeroed < 140  # zero_prob 0.5


def test_joint_corruption_other_layout_and_too_many_joints():
    out = JointCorruption()(_sample(joints=20))['keypoint']
    assert out.shape == (2, 10, 20, 3)
    with pytest.raises(ValueError, match='num_joints=15 exceeds the 10'):
        JointCorruption()(_sample(joints=10))


@pytest.mark.parametrize('transform', [Shear(), JointCorruption()])
def test_need_2d_or_3d_coordinates(transform):
    # 2-D keypoints are mapped in the image plane (test_geometry_2d.py)
    sample = dict(keypoint=np.zeros((1, 4, 25, 1), np.float32))
    with pytest.raises(ValueError, match=r'acts on 2-D \(x, y\) or 3-D'):
        transform(sample)
