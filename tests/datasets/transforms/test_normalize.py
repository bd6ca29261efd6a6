import copy

import numpy as np
import pytest

from cmd_plugin.skeleton.layouts import NW_UCLA_20
from cmd_plugin.datasets.transforms.normalize import (PreNormalize2sAGCN,
                                                      pad_null_frames,
                                                      rotation_between)
from mmaction.registry import TRANSFORMS

# 0-based NTU joints.
HIP, SPINE, HEAD, L_SH, R_SH = 0, 1, 3, 4, 8


def upright_skeleton(spine_at, num_joints=25):
    """Hand-made pose: hip->spine along +y, right - left shoulder along -z,
    and a head offset of (0.5, 0.2, -0.3) from the spine joint.

    The normaliser must rotate +y to +z (about x by +90 deg: (a, b, c) ->
    (a, -c, b)), then the shoulder vector, now +y, to +x (about z by
    -90 deg: (a, b, c) -> (b, -a, c)). Together: (a, b, c) -> (-c, -a, b).
    """
    spine_at = np.asarray(spine_at, dtype=float)
    joints = np.tile(spine_at + [0.1, 0.1, 0.1], (num_joints, 1))
    joints[SPINE] = spine_at
    joints[HIP] = spine_at + [0, -1, 0]
    joints[L_SH] = spine_at + [0, 0, 1]
    joints[R_SH] = spine_at + [0, 0, -1]
    joints[HEAD] = spine_at + [0.5, 0.2, -0.3]
    return joints


def test_hand_computed_rotation_and_per_frame_centring():
    frame0 = upright_skeleton([1, 2, 3])
    frame1 = upright_skeleton([11, 2, 3])  # same pose, moved 10 m along x
    other = frame0 + [1, 0, 0]  # person 1: 1 m to person 0's +x
    keypoint = np.stack([np.stack([frame0, frame1]),
                         np.stack([other, other])]).astype(np.float16)
    results = TRANSFORMS.build(dict(type='PreNormalize2sAGCN', layout='nturgb+d'))(
        dict(keypoint=keypoint, total_frames=2))
    out = results['keypoint']
    assert out.dtype == np.float32 and out.shape == (2, 2, 25, 3)
    expected = {
        SPINE: [0, 0, 0],
        HIP: [0, 0, -1],
        L_SH: [-1, 0, 0],
        R_SH: [1, 0, 0],
        HEAD: [0.3, -0.5, 0.2]
    }
    for joint, xyz in expected.items():
        np.testing.assert_allclose(out[0, :, joint], [xyz, xyz], atol=2e-3)
    # Person 1 is centred on person 0's spine, per frame: its frame-1 copy
    # did not move with person 0, so it ends 10 m away along old -x.
    np.testing.assert_allclose(out[1, 0, SPINE], [0, -1, 0], atol=2e-3)
    np.testing.assert_allclose(out[1, 1, SPINE], [0, 9, 0], atol=2e-2)
    assert results['total_frames'] == 2


def test_spine_leaves_z_when_shoulders_are_skewed():
    # Shoulders tilted towards the spine: the second rotation aligns them
    # exactly with +x and, as in the published code, tilts the spine.
    frame = upright_skeleton([1, 1, 1])
    frame[L_SH] = [1, 1.5, 2]
    frame[R_SH] = [1, 0.5, 0]
    out = PreNormalize2sAGCN('nturgb+d')(
        dict(keypoint=frame[None, None]))['keypoint']
    shoulder = out[0, 0, R_SH] - out[0, 0, L_SH]
    np.testing.assert_allclose(
        shoulder / np.linalg.norm(shoulder), [1, 0, 0], atol=1e-6)
    # After the first step the shoulder vector is (0, 2, -1)/sqrt(5); the
    # quarter turn about (0, -1, -2)/sqrt(5) taking it to +x takes the
    # spine (+z) to (-1/sqrt(5), 2/5, 4/5).
    spine = out[0, 0, SPINE] - out[0, 0, HIP]
    np.testing.assert_allclose(spine, [-5**-0.5, 0.4, 0.8], atol=1e-6)
    # Rotation only: bone lengths are kept.
    np.testing.assert_allclose(
        np.linalg.norm(out[0, 0] - out[0, 0, HIP], axis=-1),
        np.linalg.norm(frame - frame[HIP], axis=-1),
        rtol=1e-5)


def test_empty_frames_padded_and_zero_person_kept():
    person = np.zeros((5, 25, 3))
    person[0] = upright_skeleton([0, 0, 0])
    person[1] = upright_skeleton([0, 0, 1])
    keypoint = np.stack([person, np.zeros_like(person)])
    out = PreNormalize2sAGCN('nturgb+d')(
        dict(keypoint=keypoint.copy(), total_frames=5))
    result = out['keypoint']
    assert result.shape == (2, 5, 25, 3) and out['total_frames'] == 5
    # Frames 2, 3, 4 repeat frames 0, 1, 0.
    np.testing.assert_allclose(result[0, 2:], result[0, [0, 1, 0]])
    assert not result[1].any()


def test_pad_null_frames_moves_late_start_to_front():
    person = np.zeros((6, 2, 3))
    person[2, :, 0] = 1
    person[3, :, 0] = 2
    padded = pad_null_frames(person)
    np.testing.assert_array_equal(padded[:, 0, 0], [1, 2, 1, 2, 1, 2])
    assert not person[0].any(), 'input must not be modified'
    assert not pad_null_frames(np.zeros((3, 2, 3))).any()


def test_missing_joints_stay_zero():
    frame = upright_skeleton([1, 2, 3])
    frame[HEAD] = 0
    out = PreNormalize2sAGCN('nturgb+d')(
        dict(keypoint=frame[None, None]))['keypoint']
    assert not out[0, 0, HEAD].any()


def test_rotation_between_opposite_vectors():
    for target in np.eye(3):
        rot = rotation_between(-target * 2.0, target)
        np.testing.assert_allclose(rot @ -target, target, atol=1e-12)
        np.testing.assert_allclose(rot @ rot.T, np.eye(3), atol=1e-12)
    np.testing.assert_array_equal(
        rotation_between(np.zeros(3),
                         np.eye(3)[0]), np.eye(3))
    # Antiparallel shoulders: the half turn is about z, keeping the spine.
    rot = rotation_between(np.array([-1., 0, 0]), np.eye(3)[0])
    np.testing.assert_allclose(rot @ [0, 0, 1], [0, 0, 1], atol=1e-12)


def test_twenty_joint_layout():
    frame = upright_skeleton([1, 2, 3], num_joints=20)
    transform = PreNormalize2sAGCN(layout='nw-ucla')
    out = transform(dict(keypoint=frame[None, None]))['keypoint']
    np.testing.assert_allclose(out[0, 0, HEAD], [0.3, -0.5, 0.2], atol=1e-6)
    same = PreNormalize2sAGCN(layout=copy.deepcopy(NW_UCLA_20))
    np.testing.assert_allclose(
        same(dict(keypoint=frame[None, None]))['keypoint'], out)
    assert repr(transform) == ("PreNormalize2sAGCN(layout='nw-ucla', "
                               'pad_null_frames=True)')


@pytest.mark.parametrize('keypoint, match', [
    (np.zeros((2, 25, 3)), '4-D'),
    (np.zeros((1, 2, 25, 2)), 'C=2'),
    (np.zeros((1, 2, 20, 3)), 'V=20'),
    (np.full((1, 2, 25, 3), np.nan), 'NaN'),
])
def test_bad_input_raises(keypoint, match):
    with pytest.raises(ValueError, match=match):
        PreNormalize2sAGCN('nturgb+d')(dict(keypoint=keypoint))


def test_layout_without_alignment_joints():
    layout = dict(num_node=3, parents=[0, 0, 1], inward=[], center=0)
    with pytest.raises(ValueError, match='hip'):
        PreNormalize2sAGCN(layout=layout)
