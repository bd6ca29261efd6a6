"""SkeletonProjectionNeck: pooling and the projection MLP."""
import pytest
import torch

import cmd_plugin  # noqa: F401
from cmd_plugin.models.necks import SkeletonProjectionNeck
from mmaction.registry import MODELS


def test_build_and_shapes():
    neck = MODELS.build(
        dict(
            type='SkeletonProjectionNeck',
            in_channels=16,
            hid_channels=32,
            out_channels=8))
    assert isinstance(neck, SkeletonProjectionNeck)
    assert neck(torch.randn(3, 2, 16, 5, 25)).shape == (3, 8)  # ST-GCN
    assert neck(torch.randn(3, 16)).shape == (3, 8)  # GRU encoder


def test_pools_over_persons_time_joints_then_projects():
    torch.manual_seed(0)
    neck = SkeletonProjectionNeck(16, 32, 8)
    feat = torch.randn(3, 2, 16, 5, 25)
    pooled = feat.mean(dim=(1, 3, 4))
    lin1, lin2 = neck.mlp[0], neck.mlp[2]
    want = lin2(torch.relu(lin1(pooled)))
    assert torch.allclose(neck(feat), want, atol=1e-6)
    assert torch.allclose(neck((feat, )), want, atol=1e-6)  # tuple input


def test_wrong_in_channels_names_the_fix():
    neck = SkeletonProjectionNeck(256, 256, 128)
    with pytest.raises(ValueError, match='neck.in_channels=16'):
        neck(torch.randn(2, 16))


def test_xavier_out_initialises_only_the_output_layer():
    import torch

    from cmd_plugin.models.necks import SkeletonProjectionNeck
    torch.manual_seed(0)
    default = SkeletonProjectionNeck(64, 64, 8)
    torch.manual_seed(0)
    xavier = SkeletonProjectionNeck(64, 64, 8, xavier_out=True)
    default.init_weights()
    xavier.init_weights()
    assert torch.equal(default.mlp[0].weight, xavier.mlp[0].weight)
    assert torch.equal(default.mlp[2].bias, xavier.mlp[2].bias)
    assert not torch.equal(default.mlp[2].weight, xavier.mlp[2].weight)
    bound = (6 / (64 + 8))**0.5  # xavier-uniform limit
    assert xavier.mlp[2].weight.abs().max() <= bound
    assert xavier.mlp[2].weight.abs().max() > (1 / 64)**0.5  # beyond default
