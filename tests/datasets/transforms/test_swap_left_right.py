"""SwapLeftRight."""
import numpy as np
import pytest
import torch

import cmd_plugin  # noqa: F401
from cmd_plugin.skeleton.layouts import NW_UCLA_20, bone_parents
from cmd_plugin.datasets.transforms import SwapLeftRight
from cmd_plugin.skeleton.modalities import bone
from mmaction.registry import TRANSFORMS
from tests.datasets.transforms.helpers import random_sample


@pytest.mark.parametrize('layout,joints', [('nturgb+d', 25),
                                           ('nw-ucla', 20)])
def test_permutes_joints_only(layout, joints):
    sample = random_sample(2, 6, seed=0, joints=joints)
    sample['keypoint'][1] = 0
    sample['keypoint_score'] = np.random.default_rng(1).random(
        (2, 6, joints)).astype(np.float32)
    original = sample['keypoint'].copy()
    score = sample['keypoint_score'].copy()
    out = SwapLeftRight(layout=layout)(sample)

    keypoint = out['keypoint']
    assert keypoint.shape == original.shape
    assert keypoint.dtype == np.float32
    # Left shoulder (0-based 4) and right shoulder (8) trade places,
    # coordinates untouched (no negation); the spine stays.
    np.testing.assert_array_equal(keypoint[:, :, 4], original[:, :, 8])
    np.testing.assert_array_equal(keypoint[:, :, 8], original[:, :, 4])
    np.testing.assert_array_equal(keypoint[:, :, 1], original[:, :, 1])
    np.testing.assert_array_equal(out['keypoint_score'][:, :, 12],
                                  score[:, :, 16])
    np.testing.assert_array_equal(keypoint[1], 0)
    # Twice is the identity.
    again = SwapLeftRight(layout=layout)(dict(keypoint=keypoint))
    np.testing.assert_array_equal(again['keypoint'], original)


def test_bones_of_the_flip_are_the_flipped_bones():
    sample = random_sample(1, 5, seed=2, joints=20)
    original = torch.from_numpy(sample['keypoint'].copy())
    flipped = torch.from_numpy(
        SwapLeftRight(layout='nw-ucla')(sample)['keypoint'])
    parents = bone_parents('nw-ucla')
    swap = SwapLeftRight(layout='nw-ucla')._swap
    torch.testing.assert_close(
        bone(flipped, parents), bone(original, parents)[..., swap, :])


def test_does_not_write_to_input_and_keeps_dtype():
    keypoint = random_sample(1, 3, seed=0)['keypoint'].astype(np.float64)
    copy = keypoint.copy()
    out = SwapLeftRight('nturgb+d')(dict(keypoint=keypoint))['keypoint']
    assert out.dtype == np.float64
    np.testing.assert_array_equal(keypoint, copy)


def test_registry_and_repr():
    transform = TRANSFORMS.build(dict(type='SwapLeftRight', layout='nw-ucla'))
    assert repr(transform) == "SwapLeftRight(layout='nw-ucla')"


def test_layout_without_pairs_names_the_argument():
    layout = {k: v for k, v in NW_UCLA_20.items() if k != 'flip_pairs'}
    with pytest.raises(ValueError,
                       match=r'SwapLeftRight\(layout=...\).*no flip_pairs'):
        SwapLeftRight(layout=layout)


def test_joint_count_must_match_the_layout():
    with pytest.raises(ValueError,
                       match="V=25 joints but layout 'nw-ucla' has 20"):
        SwapLeftRight(layout='nw-ucla')(random_sample(1, 3, seed=0))
