"""(x, y, score) skeletons: motion and bone difference the coordinates and
average the score -- MMAction2's ToMotion / JointToBone values for 2-D
layouts -- in the model (CMD, the stream recognizer) and in the pipeline
(ToModality) alike."""
import numpy as np
import pytest
import torch

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets.transforms import ToModality
from cmd_plugin.skeleton.layouts import bone_parents
from cmd_plugin.skeleton.modalities import bone, motion, to_modality
from mmaction.datasets.transforms import JointToBone, ToMotion

# MMAction2's JointToBone(dataset='coco') hangs the hips from the nose;
# the plugin's COCO layout from the shoulders (joints 11, 12)
MM_COCO_PARENTS = [0, 0, 0, 1, 2, 0, 0, 5, 6, 7, 8, 0, 0, 11, 12, 13, 14]


def scored(seed=0, persons=2, frames=6):
    rng = np.random.default_rng(seed)
    xy = rng.normal(size=(persons, frames, 17, 2))
    score = rng.uniform(size=(persons, frames, 17, 1))
    return np.concatenate([xy, score], -1).astype(np.float32)


def test_motion_averages_the_score_as_mmaction_does():
    x = scored()
    ours = motion(torch.from_numpy(x), coord_dims=2).numpy()
    stock = ToMotion(dataset='coco')(dict(keypoint=x))['motion']
    np.testing.assert_allclose(ours, stock, atol=1e-6)
    np.testing.assert_allclose(ours[:, :-1, :, 2],
                               (x[:, 1:, :, 2] + x[:, :-1, :, 2]) / 2)
    assert not ours[:, -1].any()  # last frame: zero, score too


def test_bone_averages_the_score_as_mmaction_does():
    x = scored(1)
    ours = bone(torch.from_numpy(x), MM_COCO_PARENTS, coord_dims=2).numpy()
    stock = JointToBone(dataset='coco')(dict(keypoint=x))['keypoint']
    np.testing.assert_allclose(ours, stock, atol=1e-6)
    # the root's bone: zero vector, its own score
    np.testing.assert_allclose(ours[..., 0, :2], 0)
    np.testing.assert_allclose(ours[..., 0, 2], x[..., 0, 2])
    plugin = bone(torch.from_numpy(x), bone_parents('coco'), 2).numpy()
    differ = np.flatnonzero((plugin != ours).any(axis=(0, 1, 3)))
    assert differ.tolist() == [11, 12]  # the hips' parents


def test_without_coord_dims_every_channel_is_a_coordinate():
    x = torch.from_numpy(scored(2))
    np.testing.assert_array_equal(motion(x), motion(x, coord_dims=3))
    expected = torch.zeros_like(x)
    expected[:, :-1] = x[:, 1:] - x[:, :-1]
    np.testing.assert_array_equal(motion(x), expected)
    parents = bone_parents('coco')
    np.testing.assert_array_equal(bone(x, parents),
                                  x - x[..., parents, :])


@pytest.mark.parametrize('name', ['joint', 'motion', 'bone'])
def test_pipeline_stream_is_the_model_stream(name):
    x = scored(3)
    sample = dict(keypoint=x, total_frames=6, coord_dims=2)
    out = ToModality(name, layout='coco')(sample)['keypoint']
    expected = to_modality(torch.from_numpy(x), name, bone_parents('coco'),
                           coord_dims=2).numpy()
    np.testing.assert_allclose(out, expected, atol=1e-6)
    assert (out[..., 2] >= 0).all()  # a score stays a score


def test_models_read_the_score_channel_from_the_layout():
    from cmd_plugin.models.recognizers.stream_recognizer import \
        SkeletonStreamRecognizer
    from mmaction.registry import MODELS
    recognizer = MODELS.build(dict(
        type='SkeletonStreamRecognizer', stream='motion', layout='coco',
        backbone=dict(type='RawCoordinates', num_person=2, clip_len=4,
                      num_joints=17, in_channels=3),
        cls_head=dict(type='SkeletonLinearHead', num_classes=2,
                      in_channels=2 * 4 * 17 * 3)))
    assert isinstance(recognizer, SkeletonStreamRecognizer)
    assert recognizer.coord_dims == 2
    x = torch.from_numpy(scored(4, frames=4))[None, None]  # N=1, 1 clip
    feats, _ = recognizer.extract_feat(x)
    expected = motion(x, coord_dims=2).reshape(1, -1)
    np.testing.assert_allclose(feats.reshape(1, -1), expected, atol=1e-6)
