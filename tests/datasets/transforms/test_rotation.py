"""RandomAxisRotation."""
import math
from collections import Counter

import numpy as np
import pytest

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets.transforms import (RandomAxisRotation, pipeline_rng,
                                            seed_pipeline_rng)
from cmd_plugin.datasets.transforms.rotation import rotation_matrix
from mmaction.registry import TRANSFORMS
from tests.datasets.transforms.helpers import (
    assert_seeded_and_global_rng_free, random_sample)

pytestmark = pytest.mark.usefixtures('seeded_pipeline_rng')


def _sample():
    sample = random_sample(2, 10, seed=1)
    sample['keypoint'][1] = 0  # a zero-padded second person
    return sample


def axis_rotation(axis, angle):
    """Reference: rotation by ``angle`` about one axis, from the rule
    e_{a+1} -> cos e_{a+1} + sin e_{a+2} (indices mod 3)."""
    unit = np.eye(3)
    i, j = (axis + 1) % 3, (axis + 2) % 3
    matrix = np.outer(unit[axis], unit[axis])
    matrix += math.cos(angle) * (np.outer(unit[i], unit[i]) +
                                 np.outer(unit[j], unit[j]))
    matrix += math.sin(angle) * (np.outer(unit[j], unit[i]) -
                                 np.outer(unit[i], unit[j]))
    return matrix


@pytest.mark.parametrize('axis', [0, 1, 2])
def test_single_axis_is_counter_clockwise_about_the_axis(axis):
    angle = math.radians(20)
    angles = [0.0, 0.0, 0.0]
    angles[axis] = angle
    matrix = rotation_matrix(angles)
    np.testing.assert_allclose(matrix, axis_rotation(axis, angle),
                               atol=1e-12)
    unit = np.eye(3)
    np.testing.assert_allclose(matrix @ unit[axis], unit[axis])
    # e_{a+1} turns towards e_{a+2} (cyclic): right-handed, positive angle.
    after = matrix @ unit[(axis + 1) % 3]
    np.testing.assert_allclose(
        after, math.cos(angle) * unit[(axis + 1) % 3] +
        math.sin(angle) * unit[(axis + 2) % 3], atol=1e-12)
    assert np.trace(matrix) == pytest.approx(1 + 2 * math.cos(angle))


def test_rotation_matrix_orthonormal_and_composes_x_then_y_then_z():
    angles = np.radians([10.0, 0.5, 0.7])
    matrix = rotation_matrix(angles)
    np.testing.assert_allclose(matrix @ matrix.T, np.eye(3), atol=1e-12)
    assert np.linalg.det(matrix) == pytest.approx(1.0)
    expected = (axis_rotation(2, angles[2]) @ axis_rotation(1, angles[1])
                @ axis_rotation(0, angles[0]))
    np.testing.assert_allclose(matrix, expected)


def test_sampled_angles_within_ranges_and_main_axis_uniform():
    transform = RandomAxisRotation()
    mains = Counter()
    for _ in range(3000):
        main, angles = transform.sample_angles(pipeline_rng())
        mains[main] += 1
        assert 0 <= angles[main] <= 30
        others = [a for i, a in enumerate(angles) if i != main]
        assert all(0 <= a <= 1 for a in others)
    assert sorted(mains) == [0, 1, 2]
    assert all(abs(n / 3000 - 1 / 3) < 0.04 for n in mains.values())


def test_applies_the_drawn_rotation_to_every_joint():
    sample = _sample()
    original = sample['keypoint'].copy()
    seed_pipeline_rng(11)
    main, degrees = RandomAxisRotation().sample_angles(pipeline_rng())
    seed_pipeline_rng(11)
    out = RandomAxisRotation()(sample)['keypoint']
    expected = rotation_matrix(np.radians(degrees))

    assert out.shape == original.shape and out.dtype == np.float32
    fitted, *_ = np.linalg.lstsq(
        original[0].reshape(-1, 3), out[0].reshape(-1, 3), rcond=None)
    np.testing.assert_allclose(fitted.T, expected, atol=1e-5)
    np.testing.assert_allclose(fitted.T @ fitted, np.eye(3), atol=1e-5)
    # Lengths are kept and the padded person stays exactly zero.
    np.testing.assert_allclose(
        np.linalg.norm(out[0], axis=-1),
        np.linalg.norm(original[0], axis=-1), rtol=1e-5)
    np.testing.assert_array_equal(out[1], 0)
    # Rotation angles obey the triangle inequality: the total angle is
    # within the other two angles of the main one.
    total = math.degrees(math.acos((np.trace(expected) - 1) / 2))
    assert degrees[main] - 1e-6 <= total + sum(degrees) - degrees[main]
    assert total <= sum(degrees) + 1e-6


def test_seeded_and_independent_of_global_rng():
    assert_seeded_and_global_rng_free(RandomAxisRotation(), _sample)


def test_custom_ranges_and_registry():
    transform = TRANSFORMS.build(
        dict(type='RandomAxisRotation', main_range=(-5, 5),
             other_range=(0, 0)))
    main, angles = transform.sample_angles(pipeline_rng())
    assert -5 <= angles[main] <= 5
    assert [a for i, a in enumerate(angles) if i != main] == [0.0, 0.0]
    assert 'main_range=(-5.0, 5.0)' in repr(transform)


@pytest.mark.parametrize('key', ['main_range', 'other_range'])
def test_bad_range_names_the_key(key):
    with pytest.raises(ValueError, match=f'RandomAxisRotation: {key}'):
        RandomAxisRotation(**{key: (10, 0)})


def test_needs_2d_or_3d_coordinates():
    # (x, y) is rotated in the image plane (tests/datasets/transforms/
    # test_geometry_2d.py); 4 coordinates are neither
    with pytest.raises(ValueError, match=r'RandomAxisRotation: acts on 2-D '
                       r'\(x, y\) or 3-D .* 4 coordinate channels.*'
                       'AppendKeypointScore'):
        RandomAxisRotation()(dict(keypoint=np.zeros((1, 4, 25, 4))))
