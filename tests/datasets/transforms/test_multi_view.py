"""MultiView, alone and inside a real MMAction2 pipeline."""
import numpy as np
import pytest
import torch
from mmengine.dataset import Compose, default_collate

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets.transforms import MultiView
from tests.datasets.transforms.helpers import random_sample

pytestmark = pytest.mark.usefixtures('seeded_pipeline_rng')

CMD_VIEW = [
    dict(type='TemporalCropResize', clip_len=16, min_length=8),
    dict(
        type='RandomChooseOne',
        transforms=[dict(type='Shear'),
                    dict(type='JointCorruption')]),
    dict(type='FormatGCNInput', num_person=2),
]


def _sample(persons: int = 1, frames: int = 40, label: int = 3) -> dict:
    return random_sample(
        persons,
        frames,
        seed=2,
        label=label,
        frame_dir='S001C001P001R001A001',
        start_index=0,
        modality='Pose')


def test_views_differ_and_stack_after_format_gcn_input():
    sample = _sample()
    original = sample['keypoint'].copy()
    results = MultiView(CMD_VIEW, num_views=3)(sample)
    keypoint = results['keypoint']
    assert keypoint.shape == (3, 2, 16, 25, 3)
    assert results['num_views'] == 3
    assert results['total_frames'] == 16
    for i in range(3):
        for j in range(i + 1, 3):
            assert not np.array_equal(keypoint[i], keypoint[j])
    # FormatGCNInput padded the missing second person with zeros.
    np.testing.assert_array_equal(keypoint[:, 1], 0)
    # The input sample is left untouched.
    np.testing.assert_array_equal(sample['keypoint'], original)
    assert sample['total_frames'] == 40


def test_four_dim_views_get_a_new_axis():
    results = MultiView([dict(type='TemporalCropResize', clip_len=8)])(
        _sample(persons=2))
    assert results['keypoint'].shape == (2, 2, 8, 25, 3)


def test_real_pipeline_gives_query_key_batches():
    pipeline = Compose([
        dict(type='MultiView', transforms=CMD_VIEW, num_views=2),
        dict(type='PackActionInputs'),
    ])
    packed = [
        pipeline(_sample(persons=p, frames=f))
        for p, f in ((1, 40), (2, 5), (2, 1))
    ]
    for item in packed:
        assert item['inputs'].shape == (2, 2, 16, 25, 3)
        assert item['inputs'].dtype == torch.float32
        assert not torch.equal(item['inputs'][0], item['inputs'][1])
    batch = default_collate(packed)
    assert batch['inputs'].shape == (3, 2, 2, 16, 25, 3)
    assert batch['data_samples'][0].gt_label.item() == 3


def test_mismatched_view_shapes_are_reported():

    class _VaryingLength:
        calls = 0

        def __call__(self, results):
            _VaryingLength.calls += 1
            results['keypoint'] = results['keypoint'][:, :_VaryingLength.calls]
            return results

    with pytest.raises(
            ValueError, match=r'different keypoint shapes.*'
            r'clip_len'):
        MultiView([_VaryingLength()])(_sample())


def test_missing_keypoint_is_reported():
    with pytest.raises(ValueError, match='PackActionInputs after MultiView'):
        MultiView([dict(type='PackActionInputs')])(_sample())


def test_dropped_sample_propagates_none():
    assert MultiView([lambda results: None])(_sample()) is None


def test_repr_and_bad_num_views():
    text = repr(MultiView(CMD_VIEW))
    assert 'TemporalCropResize' in text and 'num_views=2' in text
    with pytest.raises(ValueError, match='num_views'):
        MultiView(CMD_VIEW, num_views=0)
