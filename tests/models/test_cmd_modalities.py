"""Modality derivation, pooling and distill-pair resolution."""
import pytest
import torch

import cmd_plugin  # noqa: F401  (compat fixes before mmaction.models)
from cmd_plugin.skeleton.layouts import bone_parents
from cmd_plugin.models.utils import global_pool, resolve_distill_pairs
from cmd_plugin.skeleton.modalities import (bone, check_modalities, joint,
                                            motion, to_modality)


def test_joint_is_identity():
    x = torch.randn(2, 5, 4, 3)
    assert joint(x) is x


def test_motion_known_values_and_last_frame_zero():
    # x[t] = t**2 at every joint and coordinate: differences 1, 3, 5, then 0.
    t = torch.arange(4, dtype=torch.float32) ** 2
    x = t.view(4, 1, 1).expand(4, 3, 2).clone()
    m = motion(x)
    assert m.shape == x.shape
    assert torch.equal(m[:, 0, 0], torch.tensor([1., 3., 5., 0.]))
    assert torch.all(m[-1] == 0)


def test_motion_keeps_leading_dims():
    x = torch.randn(2, 2, 3, 6, 25, 3)  # (N, views, M, T, V, C)
    m = motion(x)
    assert torch.allclose(m[..., 2, :, :], x[..., 3, :, :] - x[..., 2, :, :])
    assert torch.all(m[..., -1, :, :] == 0)


def test_bone_ntu_root_zero_and_pairs():
    parents = bone_parents('nturgb+d')
    x = torch.randn(3, 25, 3)
    b = bone(x, parents)
    assert torch.all(b[:, 20] == 0)  # joint 21 (1-based) is the root
    # 1-based (1, 2): joint 1's parent is joint 2; (23, 8): 23's parent is 8.
    assert torch.equal(b[:, 0], x[:, 0] - x[:, 1])
    assert torch.equal(b[:, 22], x[:, 22] - x[:, 7])


def test_bone_20_joint_layout():
    parents = bone_parents('nw-ucla')
    x = torch.arange(20 * 3, dtype=torch.float32).view(1, 20, 3)
    b = bone(x, parents)
    assert b.shape == (1, 20, 3)
    assert torch.all(b[:, 0] == 0)  # hip centre is the root
    assert torch.equal(b[0, 1], x[0, 1] - x[0, 0])  # (2, 1) 1-based


def test_bone_accepts_tensor_parents_and_rejects_wrong_length():
    x = torch.randn(2, 4, 25, 3)
    parents = torch.tensor(bone_parents('nturgb+d'))
    assert torch.equal(bone(x, parents), bone(x, parents.tolist()))
    with pytest.raises(ValueError, match='20 parents for 25 joints'):
        bone(x, bone_parents('nw-ucla'))


def test_to_modality_dispatch():
    x = torch.randn(1, 4, 25, 3)
    parents = bone_parents('nturgb+d')
    assert torch.equal(to_modality(x, 'motion', parents), motion(x))
    assert torch.equal(to_modality(x, 'bone', parents), bone(x, parents))
    with pytest.raises(ValueError, match='unknown modality'):
        to_modality(x, 'velocity', parents)


def test_check_modalities():
    assert check_modalities(['joint', 'bone']) == ('joint', 'bone')
    with pytest.raises(ValueError, match="unknown modalities \\['accel'\\]"):
        check_modalities(['joint', 'accel'])
    with pytest.raises(ValueError, match='repeats'):
        check_modalities(['joint', 'joint'])
    with pytest.raises(ValueError, match='non-empty list'):
        check_modalities('joint')


def test_resolve_distill_pairs():
    mods = ('joint', 'motion', 'bone')
    pairs = resolve_distill_pairs('all', mods)
    assert len(pairs) == 6 and len(set(pairs)) == 6
    assert all(a != b for a, b in pairs)
    assert resolve_distill_pairs('none', mods) == []
    assert resolve_distill_pairs([['joint', 'bone']], mods) == [('joint',
                                                                 'bone')]
    with pytest.raises(ValueError, match="'all', 'none'"):
        resolve_distill_pairs('some', mods)
    with pytest.raises(ValueError, match='not in modalities'):
        resolve_distill_pairs([('joint', 'motion')], ('joint', 'bone'))
    with pytest.raises(ValueError, match='into itself'):
        resolve_distill_pairs([('joint', 'joint')], mods)
    with pytest.raises(ValueError, match='not a \\(teacher, student\\)'):
        resolve_distill_pairs([('joint', )], mods)
    with pytest.raises(ValueError, match='repeats'):
        resolve_distill_pairs([('joint', 'bone'), ('joint', 'bone')], mods)


def test_global_pool():
    feat = torch.randn(2, 3, 5, 4, 7)  # (N, M, C, T, V)
    assert torch.allclose(global_pool(feat), feat.mean(dim=(1, 3, 4)))
    flat = torch.randn(2, 5)
    assert global_pool(flat) is flat
    with pytest.raises(ValueError, match='got shape'):
        global_pool(torch.randn(2, 5, 3))
