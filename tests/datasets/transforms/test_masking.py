"""StructuralSpatialMask and SegmentTemporalMask."""
import numpy as np
import pytest

import cmd_plugin  # noqa: F401
from cmd_plugin.skeleton.layouts import bone_parents
from cmd_plugin.datasets.transforms import (SegmentTemporalMask,
                                            StructuralSpatialMask,
                                            pipeline_rng, seed_pipeline_rng)
from cmd_plugin.datasets.transforms.masking import layout_adjacency
from mmaction.registry import TRANSFORMS
from tests.datasets.transforms.helpers import (
    assert_seeded_and_global_rng_free, random_sample)

pytestmark = pytest.mark.usefixtures('seeded_pipeline_rng')


def _sample(joints=25, frames=64, persons=2):
    sample = random_sample(persons, frames, seed=4, joints=joints)
    if persons > 1:
        sample['keypoint'][1] = 0
    return sample


def _zero_joints(keypoint):
    """Joints zero in every frame of person 0 (the data has no zeros)."""
    return np.flatnonzero(np.all(keypoint[0] == 0, axis=(0, 2)))


def test_adjacency_from_parents_and_inward():
    parents = bone_parents('nturgb+d')
    adjacency = layout_adjacency('nturgb+d')
    assert adjacency.shape == (25, 25)
    assert np.array_equal(adjacency, adjacency.T)
    assert set(np.unique(adjacency)) == {0, 1}
    assert np.trace(adjacency) == 0 and adjacency.sum() == 2 * 24
    assert all(adjacency[v, p] for v, p in enumerate(parents) if v != p)
    # NTU: the bone tree joins the left hand tip (21) to the thumb (22),
    # MMAction2's graph to the hand (7).
    inward = layout_adjacency('nturgb+d', edges='inward')
    assert adjacency[21, 22] and not adjacency[21, 7]
    assert inward[21, 7] and not inward[21, 22]
    np.testing.assert_array_equal(
        layout_adjacency('nw-ucla'), layout_adjacency('nw-ucla', 'inward'))


@pytest.mark.parametrize('layout,joints,kwargs,count', [
    ('nturgb+d', 25, {}, 8),
    ('nturgb+d', 25, dict(ratio=0.32), 8),
    ('nw-ucla', 20, dict(ratio=0.32), 6),
    ('nw-ucla', 20, dict(num_masked=3, num_centers=1), 3),
])
def test_masks_the_top_scoring_joints_everywhere(layout, joints, kwargs,
                                                 count):
    transform = StructuralSpatialMask(layout=layout, **kwargs)
    hat = np.eye(joints, dtype=int) + layout_adjacency(layout)
    reach = hat @ hat
    for seed in range(20):
        sample = _sample(joints=joints, frames=6)
        original = sample['keypoint'].copy()
        seed_pipeline_rng(seed)
        out = transform(sample)['keypoint']
        seed_pipeline_rng(seed)
        centres = pipeline_rng().integers(
            joints, size=kwargs.get('num_centers', 5))

        assert out.shape == original.shape and out.dtype == np.float32
        masked = _zero_joints(out)
        assert len(masked) == count
        # Zeroed in all frames and persons, the rest untouched.
        kept = np.setdiff1d(np.arange(joints), masked)
        np.testing.assert_array_equal(out[:, :, kept], original[:, :, kept])
        np.testing.assert_array_equal(out[1], 0)
        score = reach[centres].sum(axis=0)
        assert score[masked].min() >= score[kept].max()
        # The centres themselves score highest: at least one is masked.
        assert np.isin(centres, masked).any()


def test_ties_are_broken_by_the_generator():
    # One centre, a leaf: many joints tie at the edge of its reach.
    transform = StructuralSpatialMask(layout='nturgb+d', num_centers=1, num_masked=4)
    chosen = set()
    for seed in range(40):
        seed_pipeline_rng(seed)
        chosen.add(tuple(sorted(transform.sample_joints(pipeline_rng()))))
        seed_pipeline_rng(seed)
        again = transform.sample_joints(pipeline_rng())
        seed_pipeline_rng(seed)
        assert np.array_equal(transform.sample_joints(pipeline_rng()), again)
    assert len(chosen) > 25  # more sets than the 25 possible centres


def test_spatial_mask_seeded_and_independent_of_global_rng():
    assert_seeded_and_global_rng_free(StructuralSpatialMask('nturgb+d'),
                                      lambda: _sample(frames=4))


def test_masks_do_not_write_to_input():
    sample = _sample(frames=4)
    original = sample['keypoint']
    copy = original.copy()
    StructuralSpatialMask('nturgb+d')(sample)
    np.testing.assert_array_equal(original, copy)
    SegmentTemporalMask(num_segments=4, num_masked=2)(
        dict(keypoint=original))
    np.testing.assert_array_equal(original, copy)


@pytest.mark.parametrize('kwargs,match', [
    (dict(num_masked=26), 'num_masked=26 is not within the 25 joints'),
    (dict(num_masked=-1), 'num_masked=-1'),
    (dict(num_masked=8, ratio=0.3), 'give num_masked or ratio, not both'),
    (dict(ratio=1.5), 'ratio must be in'),
    (dict(num_centers=0), 'num_centers must be >= 1'),
    (dict(edges='bones'), 'edges must be one of'),
    (dict(layout='kinect'), "unknown skeleton layout 'kinect'"),
])
def test_spatial_mask_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        StructuralSpatialMask(**{'layout': 'nturgb+d', **kwargs})


def test_spatial_mask_layout_must_match_and_repr():
    transform = TRANSFORMS.build(
        dict(type='StructuralSpatialMask', layout='nw-ucla', ratio=0.32))
    assert repr(transform) == ("StructuralSpatialMask(layout='nw-ucla', "
                               "num_centers=5, ratio=0.32, edges='parents')")
    with pytest.raises(ValueError, match="V=25 joints but layout 'nw-ucla'"):
        transform(_sample(frames=4))


def _zero_frames(keypoint):
    return np.all(keypoint[0] == 0, axis=(1, 2))


def test_temporal_mask_zeroes_six_aligned_segments_of_four():
    for seed in range(20):
        seed_pipeline_rng(seed)
        sample = _sample()
        original = sample['keypoint'].copy()
        out = SegmentTemporalMask()(sample)['keypoint']
        assert out.shape == (2, 64, 25, 3) and out.dtype == np.float32
        zero = _zero_frames(out)
        assert zero.sum() == 24  # 37.5% of 64 frames
        # Every 4-frame segment is masked whole or not at all.
        per_segment = zero.reshape(16, 4)
        assert np.all(per_segment.all(axis=1) == per_segment.any(axis=1))
        assert per_segment.all(axis=1).sum() == 6
        np.testing.assert_array_equal(out[:, ~zero], original[:, ~zero])
        np.testing.assert_array_equal(out[1], 0)


def test_temporal_mask_uneven_lengths_and_padding():
    transform = SegmentTemporalMask(num_segments=16, num_masked=16)
    sample = _sample(frames=50)
    sample['keypoint'][:, 40:] = 0
    sample['total_frames'] = 40
    out = transform(sample)['keypoint']
    assert _zero_frames(out).all()  # all 40 valid frames, padding stays 0
    np.testing.assert_array_equal(
        SegmentTemporalMask(num_segments=16).segment_bounds(50)[:4],
        [0, 3, 6, 9])
    bounds = SegmentTemporalMask(num_segments=16).segment_bounds(50)
    assert bounds[-1] == 50 and set(np.diff(bounds)) == {3, 4}
    out = SegmentTemporalMask(num_segments=5, num_masked=1)(
        _sample(frames=50))['keypoint']
    assert _zero_frames(out).sum() == 10


def test_temporal_mask_seeded_and_independent_of_global_rng():
    assert_seeded_and_global_rng_free(SegmentTemporalMask(), _sample)


@pytest.mark.parametrize('kwargs,match', [
    (dict(num_segments=0), 'num_segments must be >= 1'),
    (dict(num_masked=17), r'num_masked must be in \[0, num_segments=16\]'),
    (dict(num_masked=-1), 'num_masked must be in'),
])
def test_temporal_mask_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SegmentTemporalMask(**kwargs)


def test_temporal_mask_too_short_clip_and_repr():
    with pytest.raises(ValueError, match='10 valid frames cannot be cut'):
        SegmentTemporalMask()(_sample(frames=10))
    assert repr(TRANSFORMS.build(dict(type='SegmentTemporalMask'))) == (
        'SegmentTemporalMask(num_segments=16, num_masked=6)')
