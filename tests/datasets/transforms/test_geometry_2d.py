"""On 2-D keypoints the geometric augmentations act in the image plane
(in-plane rotation, 2x2 shear and mixing) and never map the score like a
coordinate; masking marks what it zeroes as missing, score included."""
import numpy as np
import pytest

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets.transforms import (JointCorruption,
                                            PreNormalize2sAGCN,
                                            RandomAxisRotation,
                                            SegmentTemporalMask, Shear,
                                            StructuralSpatialMask,
                                            pipeline_rng, seed_pipeline_rng)


def xy_score(seed=0, frames=16):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(-1, 1, size=(2, frames, 17, 2))
    score = rng.uniform(0.2, 1, size=(2, frames, 17, 1))
    keypoint = np.concatenate([xy, score], -1).astype(np.float32)
    return dict(keypoint=keypoint, coord_dims=2, total_frames=frames)


def test_shear_shears_the_image_plane_only(seeded_pipeline_rng):
    sample = xy_score()
    out = Shear(magnitude=0.5)(dict(sample))['keypoint']
    seed_pipeline_rng(0)
    matrix = Shear(magnitude=0.5).sample_matrix(pipeline_rng(), 2)
    assert matrix.shape == (2, 2) and (np.diag(matrix) == 1).all()
    np.testing.assert_allclose(out[..., :2],
                               sample['keypoint'][..., :2] @ matrix.T,
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(out[..., 2], sample['keypoint'][..., 2])


def test_plain_xy_is_two_d_too(seeded_pipeline_rng):
    sample = xy_score()
    sample = dict(keypoint=sample['keypoint'][..., :2].copy())
    out = Shear(magnitude=0.5)(dict(sample))['keypoint']
    assert out.shape == sample['keypoint'].shape


def test_rotation_turns_about_the_image_normal(seeded_pipeline_rng):
    sample = xy_score(1)
    out = RandomAxisRotation(main_range=(10, 30))(dict(sample))['keypoint']
    seed_pipeline_rng(0)
    angle = RandomAxisRotation(main_range=(10, 30)).sample_angle_2d(
        pipeline_rng())
    assert 10 <= angle <= 30
    a = np.radians(angle)
    x, y = sample['keypoint'][..., 0], sample['keypoint'][..., 1]
    np.testing.assert_allclose(out[..., 0], x * np.cos(a) - y * np.sin(a),
                               atol=1e-5)
    np.testing.assert_allclose(out[..., 1], x * np.sin(a) + y * np.cos(a),
                               atol=1e-5)
    np.testing.assert_array_equal(out[..., 2], sample['keypoint'][..., 2])


@pytest.mark.parametrize('zero_prob', [0.0, 1.0])
def test_corruption_mixes_coordinates_and_zeroes_whole_joints(
        zero_prob, seeded_pipeline_rng):
    sample = xy_score(2)
    before = sample['keypoint']
    out = JointCorruption(num_joints=5, zero_prob=zero_prob)(
        dict(sample))['keypoint']
    hit = np.flatnonzero((out != before).any(axis=(0, 1, 3)))
    assert len(hit) == 5
    if zero_prob == 1.0:  # zeroed: missing, score 0 too
        assert not out[:, :, hit].any()
    else:  # mixed: the score stays the detector's
        np.testing.assert_array_equal(out[..., 2], before[..., 2])


def test_separate_scores_follow_zeroed_joints(seeded_pipeline_rng):
    rng = np.random.default_rng(3)
    score = rng.uniform(0.2, 1, size=(2, 16, 25)).astype(np.float32)
    for transform in (JointCorruption(num_joints=5, zero_prob=1.0),
                      StructuralSpatialMask(layout='nturgb+d'),
                      SegmentTemporalMask(num_segments=4, num_masked=2)):
        sample = dict(keypoint=rng.normal(size=(2, 16, 25, 2)).astype(
            np.float32), keypoint_score=score.copy(), total_frames=16)
        out = transform(sample)
        zeroed = ~out['keypoint'].any(-1)
        assert zeroed.any()
        assert not out['keypoint_score'][zeroed].any(), transform
        np.testing.assert_array_equal(out['keypoint_score'][~zeroed],
                                      score[~zeroed])


def test_masks_zero_a_score_channel_too(seeded_pipeline_rng):
    out = StructuralSpatialMask(layout='coco', ratio=0.3)(
        xy_score(4))['keypoint']
    masked = ~out.any(axis=(0, 1, 3))
    assert masked.sum() == 5  # 0.3 of 17, all three channels zero


def test_3d_normalisation_refuses_a_2d_sample():
    sample = xy_score(5)
    with pytest.raises(ValueError, match=r'needs 3-D coordinates .* with 2 '
                       'coordinates.*PreNormalizeImage2D'):
        PreNormalize2sAGCN('nturgb+d')(dict(
            sample, keypoint=np.ones((1, 2, 25, 3), np.float32)))


def test_coord_dims_out_of_range_is_refused():
    sample = xy_score(6)
    with pytest.raises(ValueError, match=r'Shear: coord_dims=4 .* C=3'):
        Shear()(dict(sample, coord_dims=4))
