"""ToModality: the model's to_modality, as a pipeline step."""
import numpy as np
import pytest
import torch

import cmd_plugin  # noqa: F401
from cmd_plugin.skeleton.layouts import bone_parents
from cmd_plugin.datasets.transforms import ToModality
from cmd_plugin.skeleton.modalities import to_modality
from mmaction.registry import TRANSFORMS
from tests.datasets.transforms.helpers import random_sample


@pytest.mark.parametrize('modality', ['joint', 'motion', 'bone'])
@pytest.mark.parametrize('layout,joints', [('nturgb+d', 25),
                                           ('nw-ucla', 20)])
def test_equals_to_modality_exactly(modality, layout, joints):
    sample = random_sample(2, 8, seed=5, joints=joints)
    sample['keypoint'][1] = 0
    original = sample['keypoint'].copy()
    out = ToModality(modality, layout=layout)(sample)['keypoint']
    expected = to_modality(
        torch.from_numpy(original), modality, bone_parents(layout)).numpy()
    assert out.shape == original.shape and out.dtype == np.float32
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(out[1], 0)


def test_padding_frames_stay_zero():
    sample = random_sample(1, 8, seed=5)
    sample['keypoint'][:, 5:] = 0
    sample['total_frames'] = 5
    valid = torch.from_numpy(sample['keypoint'][:, :5].copy())
    out = ToModality('motion', 'nturgb+d')(sample)['keypoint']
    np.testing.assert_array_equal(out[:, :5],
                                  to_modality(valid, 'motion', []).numpy())
    # No jump from the last valid frame into the padding.
    np.testing.assert_array_equal(out[:, 4:], 0)


def test_does_not_write_to_input():
    keypoint = random_sample(1, 4, seed=0)['keypoint']
    copy = keypoint.copy()
    ToModality('bone', 'nturgb+d')(dict(keypoint=keypoint))
    ToModality('motion', 'nturgb+d')(dict(keypoint=keypoint))
    np.testing.assert_array_equal(keypoint, copy)


def test_registry_and_repr():
    transform = TRANSFORMS.build(
        dict(type='ToModality', modality='bone', layout='nw-ucla'))
    assert repr(transform) == "ToModality(modality='bone', layout='nw-ucla')"


def test_bad_modality_and_layout_mismatch():
    with pytest.raises(ValueError, match="ToModality: unknown modality="
                       "'velocity'"):
        ToModality('velocity', 'nturgb+d')
    with pytest.raises(ValueError, match="V=25 joints but layout 'nw-ucla'"):
        ToModality('bone', layout='nw-ucla')(random_sample(1, 3, seed=0))
