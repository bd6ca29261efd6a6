"""The SCD-Net view pipeline (spec §3) built from configs, end to end."""
import numpy as np
import pytest

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets.transforms import seed_pipeline_rng
from mmaction.registry import TRANSFORMS
from tests.datasets.transforms.helpers import random_sample

pytestmark = pytest.mark.usefixtures('seeded_pipeline_rng')


def scdnet_views(layout='nturgb+d', modality='joint'):
    def maybe(transform):
        return dict(type='ProbabilityApply', transforms=[transform],
                    prob=0.5)

    return dict(
        type='MultiView',
        num_views=2,
        transforms=[
            dict(type='TemporalCropResize', clip_len=64, min_length=64),
            dict(type='ToModality', modality=modality, layout=layout),
            maybe(dict(type='RandomAxisRotation')),
            maybe(dict(type='SwapLeftRight', layout=layout)),
            maybe(dict(type='Shear', magnitude=0.5)),
            maybe(dict(type='StructuralSpatialMask', layout=layout,
                       ratio=0.32)),
            maybe(dict(type='SegmentTemporalMask')),
        ])


@pytest.mark.parametrize('layout,joints,modality', [
    ('nturgb+d', 25, 'joint'), ('nw-ucla', 20, 'bone')])
def test_views_have_fixed_shape_and_repeat_under_seed(layout, joints,
                                                      modality):
    transform = TRANSFORMS.build(scdnet_views(layout, modality))

    def run(reseed_global):
        seed_pipeline_rng(1)
        outs = []
        for _ in range(6):
            if reseed_global:
                np.random.seed(255)
            sample = random_sample(2, 90, seed=2, joints=joints)
            sample['keypoint'][1] = 0
            outs.append(transform(sample)['keypoint'])
        return np.stack(outs)

    first = run(False)
    assert first.shape == (6, 2, 2, 64, joints, 3)
    assert first.dtype == np.float32
    np.testing.assert_array_equal(first, run(True))
    np.testing.assert_array_equal(first[:, :, 1], 0)  # padded person
    assert not np.array_equal(first[:, 0], first[:, 1])  # views differ
