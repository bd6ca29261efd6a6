"""2-D keypoints enter the pipeline as in MMAction2's 2-D ST-GCN pipeline:
scaled by the image size (PreNormalize2D) and with the score appended as
the third channel (GenSkeFeat)."""
import copy

import numpy as np
import pytest

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets.transforms import (AppendKeypointScore,
                                            PreNormalizeImage2D)
from mmaction.datasets.transforms import GenSkeFeat, PreNormalize2D


def sample_2d(seed=0, frames=5, img_shape=(480, 640)):
    rng = np.random.default_rng(seed)
    h, w = img_shape
    keypoint = rng.uniform([0, 0], [w, h], size=(2, frames, 17, 2))
    score = rng.uniform(0.1, 1, size=(2, frames, 17))
    keypoint[1, 2:] = 0  # the second person leaves: missing, score 0
    score[1, 2:] = 0
    return dict(keypoint=keypoint.astype(np.float32),
                keypoint_score=score.astype(np.float32),
                img_shape=img_shape, total_frames=frames, frame_dir='clip')


def test_scaling_is_mmactions_and_missing_joints_stay_zero():
    sample = sample_2d()
    ours = PreNormalizeImage2D()(copy.deepcopy(sample))['keypoint']
    stock = PreNormalize2D()(copy.deepcopy(sample))['keypoint']
    present = sample['keypoint'].any(-1)
    np.testing.assert_allclose(ours[present], stock[present], atol=1e-6)
    assert ours.dtype == np.float32
    assert not ours[~present].any()  # MMAction2 moves them to (-1, -1)
    assert (np.abs(ours) <= 1).all()


def test_the_score_is_not_scaled():
    sample = AppendKeypointScore()(sample_2d(1))
    out = PreNormalizeImage2D()(copy.deepcopy(sample))['keypoint']
    np.testing.assert_array_equal(out[..., 2], sample['keypoint'][..., 2])


def test_img_shape_is_required_or_given():
    sample = sample_2d(2)
    del sample['img_shape']
    with pytest.raises(ValueError, match=r"no img_shape \(sample 'clip'\)"
                       r'.*PreNormalizeImage2D\(img_shape='):
        PreNormalizeImage2D()(copy.deepcopy(sample))
    given = PreNormalizeImage2D(img_shape=(480, 640))(sample)['keypoint']
    np.testing.assert_allclose(
        given, PreNormalizeImage2D()(sample_2d(2))['keypoint'])
    assert repr(PreNormalizeImage2D((480, 640))) == \
        'PreNormalizeImage2D(img_shape=(480, 640))'
    with pytest.raises(ValueError, match='img_shape=.0, 640.'):
        PreNormalizeImage2D(img_shape=(0, 640))


def test_3d_skeletons_are_refused():
    with pytest.raises(ValueError, match='3 coordinates per joint.*'
                       'PreNormalize2sAGCN'):
        PreNormalizeImage2D((480, 640))(
            dict(keypoint=np.ones((1, 2, 25, 3), np.float32)))


def test_score_channel_is_gen_ske_feats():
    sample = sample_2d(3)
    ours = AppendKeypointScore()(copy.deepcopy(sample))
    stock = GenSkeFeat(dataset='coco', feats=['j'])(copy.deepcopy(sample))
    np.testing.assert_array_equal(ours['keypoint'], stock['keypoint'])
    assert ours['keypoint'].shape == (2, 5, 17, 3)
    assert 'keypoint_score' not in ours
    assert ours['coord_dims'] == 2  # the channels before the score


@pytest.mark.parametrize('change, match', [
    (lambda s: s.pop('keypoint_score'), 'no keypoint_score'),
    (lambda s: s.update(keypoint_score=np.ones((2, 5, 16))),
     r'keypoint_score has shape \(2, 5, 16\)'),
    (lambda s: s.update(coord_dims=1), 'already holds a score'),
    (lambda s: s['keypoint_score'].__setitem__((0, 0, 0), np.nan),
     'NaN'),
])
def test_bad_scores_are_refused(change, match):
    sample = sample_2d(4)
    change(sample)
    with pytest.raises(ValueError, match=f'AppendKeypointScore: .*{match}'):
        AppendKeypointScore()(sample)


def test_the_pipeline_head_follows_the_layout():
    """PreNormalizeSkeleton: CMD's 3-D normalisation for 3-D layouts,
    MMAction2's 2-D head for 2-D ones -- the same output as the steps
    written out, so one pipeline serves both kinds of data."""
    import numpy as np
    from cmd_plugin.datasets.transforms import (AppendKeypointScore,
                                                PreNormalize2sAGCN,
                                                PreNormalizeImage2D,
                                                PreNormalizeSkeleton)
    rng = np.random.default_rng(0)
    three = PreNormalizeSkeleton(layout='nturgb+d')
    assert [type(s) for s in three.steps] == [PreNormalize2sAGCN]
    sample = dict(keypoint=rng.normal(size=(1, 5, 25, 3)).astype(np.float32),
                  total_frames=5)
    want = PreNormalize2sAGCN('nturgb+d')(dict(sample))['keypoint']
    np.testing.assert_array_equal(three(dict(sample))['keypoint'], want)

    two = PreNormalizeSkeleton(layout='coco')
    assert [type(s) for s in two.steps] == [PreNormalizeImage2D,
                                            AppendKeypointScore]
    sample = dict(
        keypoint=rng.uniform(1, 400, size=(1, 5, 17, 2)).astype(np.float32),
        keypoint_score=rng.uniform(size=(1, 5, 17)).astype(np.float32),
        img_shape=(480, 640), total_frames=5)
    got = two(dict(sample))
    want = AppendKeypointScore()(PreNormalizeImage2D()(dict(sample)))
    np.testing.assert_array_equal(got['keypoint'], want['keypoint'])
    assert got['keypoint'].shape == (1, 5, 17, 3)
