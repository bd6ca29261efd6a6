"""CTRGCNTrunk: SCD-Net's stride-free, 3-block CTR-GCN feature extractor."""
import pytest
import torch

import cmd_plugin  # noqa: F401
from cmd_plugin.skeleton.layouts import NW_UCLA_20
from cmd_plugin.models.backbones import CTRGCNTrunk
from cmd_plugin.models.layers import (CTRGraphConv, MultiScaleTemporalConv,
                                      TopologyRefinement)
from mmaction.models.utils import Graph
from mmaction.registry import MODELS

TINY = (8, 16, 8)


def tiny_trunk(layout='nturgb+d', **kwargs) -> CTRGCNTrunk:
    cfg = dict(graph_cfg=dict(layout=layout, mode='spatial'),
               channels=TINY)
    cfg.update(kwargs)
    return CTRGCNTrunk(**cfg)


def test_registry_build_nw_ucla():
    trunk = MODELS.build(dict(type='CTRGCNTrunk',
                              graph_cfg=dict(layout='nw-ucla',
                                             mode='spatial')))
    assert isinstance(trunk, CTRGCNTrunk)
    assert trunk.num_joints == 20 and trunk.out_channels == 64
    assert trunk.data_bn.num_features == 2 * 20 * 3
    out = trunk(torch.randn(2, 2, 3, 20, 3))
    assert out.shape == (2, 2, 64, 3, 20)


@pytest.mark.parametrize('layout,joints', [('nturgb+d', 25),
                                           ('nw-ucla', 20)])
@pytest.mark.parametrize('persons', [1, 2])
def test_output_shape(layout, joints, persons):
    trunk = tiny_trunk(layout, num_person=persons)
    out = trunk(torch.randn(3, persons, 6, joints, 3))
    assert out.shape == (3, persons, TINY[-1], 6, joints)
    assert trunk.data_bn.num_features == persons * joints * 3


def test_adjacency_is_mmaction_spatial_graph_for_plugin_layouts():
    # the plugin's layout dict (with bones) and its name build the same
    # graph as MMAction2's Graph over the layout's edges
    expected = torch.tensor(Graph(layout=dict(
        num_node=20, inward=NW_UCLA_20['inward'],
        center=NW_UCLA_20['center']), mode='spatial').A).float()
    for layout in ('nw-ucla', NW_UCLA_20):
        trunk = tiny_trunk(layout, num_person=1)
        for block in trunk.blocks:
            assert block.gcn.num_subsets == 3
            torch.testing.assert_close(block.gcn.PA.detach(), expected)
    ntu = tiny_trunk('nturgb+d')
    torch.testing.assert_close(
        ntu.blocks[0].gcn.PA.detach(),
        torch.tensor(Graph('nturgb+d', mode='spatial').A).float())


def test_mmaction_layouts_are_accepted():
    edges = dict(num_node=4, inward=[(1, 0), (2, 1), (3, 1)], center=0)
    trunk = tiny_trunk(edges, num_person=1)
    assert trunk(torch.randn(2, 1, 3, 4, 3)).shape == (2, 1, 8, 3, 4)
    with pytest.raises(ValueError, match="layout='<dict>' has 4 joints"):
        trunk(torch.randn(2, 1, 3, 5, 3))
    assert tiny_trunk('coco').num_joints == 17


def test_aggregation_row_receives():
    # y[c, t, u] = sum_v A[u, v] value(x)[c, t, v] (published convention)
    torch.manual_seed(0)
    unit = TopologyRefinement(4, 5, reduction=1)
    x = torch.randn(2, 4, 3, 6)
    A = torch.randn(6, 6)
    got = unit(x, A, torch.zeros(1))
    want = unit.value(x) @ A.t()
    torch.testing.assert_close(got, want)


def test_alpha_starts_at_zero_refinement_adds_nothing_and_learns():
    torch.manual_seed(0)
    trunk = tiny_trunk()
    x = torch.randn(2, 2, 5, 25, 3)
    feats = x.permute(0, 1, 4, 2, 3).reshape(4, 3, 5, 25)
    gcn = trunk.blocks[0].gcn
    assert gcn.alpha.item() == 0.0
    for k, topo in enumerate(gcn.refined_topologies(feats)):
        assert topo.shape == (4, TINY[0], 25, 25)
        shared = gcn.PA[k].expand_as(topo)
        torch.testing.assert_close(topo, shared, rtol=0, atol=0)
    trunk(x).square().mean().backward()
    for block in trunk.blocks:
        assert block.gcn.alpha.grad.abs().item() > 0
    # once alpha moves, the refinement changes the topology per sample and
    # its convs learn
    with torch.no_grad():
        gcn.alpha.fill_(0.5)
    topo = gcn.refined_topologies(feats)[1]
    assert not torch.allclose(topo[0], topo[1])
    trunk.zero_grad()
    trunk(x).square().mean().backward()
    refine = gcn.refinements[1]
    for conv in (refine.query, refine.key, refine.expand):
        assert conv.weight.grad.abs().sum() > 0


def test_gradients_reach_pa_and_every_block():
    torch.manual_seed(0)
    trunk = tiny_trunk('nw-ucla', num_person=2)
    trunk(torch.randn(2, 2, 5, 20, 3)).square().mean().backward()
    assert trunk.data_bn.weight.grad.abs().sum() > 0
    for i, block in enumerate(trunk.blocks):
        assert block.gcn.PA.grad.abs().sum() > 0, f'block {i} PA'
        for name, part in (('gcn.value', block.gcn.refinements[0].value),
                           ('tcn', block.tcn.branches[0][3])):
            assert part.weight.grad.abs().sum() > 0, f'block {i} {name}'


@pytest.mark.parametrize('frames', [1, 6, 7])
def test_temporal_module_keeps_frames(frames):
    tcn = MultiScaleTemporalConv(8, 8, kernel_size=5, dilations=(1, 2))
    assert len(tcn.branches) == 4
    assert all(b[0].out_channels == 2 for b in tcn.branches)
    x = torch.randn(2, 8, frames, 4)
    assert tcn(x).shape == x.shape
    assert tiny_trunk()(torch.randn(2, 2, frames, 25, 3)).shape[3] == frames


def test_temporal_module_residual_option():
    torch.manual_seed(0)
    x = torch.randn(2, 8, 5, 4)
    with_res = MultiScaleTemporalConv(8, 8).eval()
    without = MultiScaleTemporalConv(8, 8, residual=False).eval()
    without.load_state_dict(with_res.state_dict())
    torch.testing.assert_close(with_res(x), without(x) + x)


def test_bad_temporal_settings_are_refused():
    with pytest.raises(ValueError, match='odd'):
        MultiScaleTemporalConv(8, 8, kernel_size=4)
    with pytest.raises(ValueError, match='divisible'):
        MultiScaleTemporalConv(8, 10)
    with pytest.raises(ValueError, match='channels=\\(8, 18, 8\\)'):
        tiny_trunk(channels=(8, 18, 8))


def test_wrong_input_is_refused_naming_the_key():
    trunk = tiny_trunk('nw-ucla')
    with pytest.raises(ValueError,
                       match="graph_cfg.layout='nw-ucla' has 20 joints"):
        trunk(torch.randn(1, 2, 4, 25, 3))
    with pytest.raises(ValueError, match='num_person=2'):
        trunk(torch.randn(1, 1, 4, 20, 3))
    with pytest.raises(ValueError, match='in_channels=3'):
        trunk(torch.randn(1, 2, 4, 20, 2))
    with pytest.raises(ValueError, match='graph_cfg.layout'):
        tiny_trunk('kinect-v3')
    with pytest.raises(ValueError, match='graph_cfg'):
        CTRGCNTrunk(graph_cfg=dict(mode='spatial'))
    with pytest.raises(ValueError, match="graph_cfg=.*mode='spatial'"):
        tiny_trunk(graph_cfg=dict(layout='nw-ucla', mode='spacial'))


def test_published_size_parameter_count_and_init():
    trunk = CTRGCNTrunk(graph_cfg=dict(layout='nturgb+d', mode='spatial'),
                        in_channels=3, num_person=2, channels=(64, 256, 64))
    count = sum(p.numel() for p in trunk.parameters())
    # measured: 363,928 (the docstring's number)
    assert 3.5e5 < count < 3.8e5
    assert [b.gcn.refinements[0].rel_channels for b in trunk.blocks] == \
        [8, 8, 32]
    assert trunk.blocks[0].residual is None
    trunk.init_weights()
    for block in trunk.blocks:
        assert block.gcn.alpha.item() == 0.0
        assert torch.all(block.gcn.bn.weight == 1e-6)


def test_graph_unit_needs_subsets():
    with pytest.raises(ValueError, match='\\(K, V, V\\)'):
        CTRGraphConv(3, 8, torch.eye(5))


def test_narrow_trunk_relation_channels_follow_the_published_rule():
    """8 relation channels for raw coordinates, else C // reduction -- not
    at least 8 -- so a narrow trunk is the published unit scaled down."""
    trunk = CTRGCNTrunk(graph_cfg=dict(layout='nturgb+d', mode='spatial'),
                        in_channels=3, num_person=2, channels=(8, 32, 8))
    assert [b.gcn.refinements[0].rel_channels for b in trunk.blocks] == \
        [8, 1, 4]
    nine = CTRGCNTrunk(graph_cfg=dict(layout='nturgb+d', mode='spatial'),
                       in_channels=9, num_person=2, channels=(16, 16))
    assert [b.gcn.refinements[0].rel_channels for b in nine.blocks] == \
        [8, 2]
    with pytest.raises(ValueError, match='no relation channel.*reduction'):
        CTRGCNTrunk(graph_cfg=dict(layout='nturgb+d', mode='spatial'),
                    in_channels=3, num_person=2, channels=(4, 8))
