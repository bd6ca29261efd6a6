"""COCO-17, the layout of MMAction2's 2-D skeletons, is registered with
MMAction2's own graph, a bone tree, mirror pairs and joint names, and
says its keypoints are 2-D."""
import copy

import numpy as np
import pytest

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets.transforms import PreNormalize2sAGCN
from cmd_plugin.skeleton.graph import resolve_graph_layout, with_layout
from cmd_plugin.skeleton.layouts import (COCO_17, as_definition,
                                         coordinate_dims, flip_permutation,
                                         get_layout, graph_layout,
                                         layout_difference, same_layout)
from mmaction.models.utils import Graph


def test_registered_with_mmaction_graph_edges():
    layout = get_layout('coco')
    assert layout['num_node'] == 17 and layout['center'] == 0
    ours = Graph(layout=dict(num_node=17, inward=layout['inward'],
                             center=layout['center']), mode='spatial')
    stock = Graph(layout='coco', mode='spatial')
    np.testing.assert_array_equal(ours.A, stock.A)
    # Graph takes it by name, as it takes NTU's
    assert graph_layout('coco') == 'coco'
    assert resolve_graph_layout('coco') == 'coco'


def test_bone_tree_is_the_graph_tree_rooted_at_the_nose():
    parents = get_layout('coco')['parents']
    assert parents[0] == 0
    assert sorted((c, p) for c, p in enumerate(parents) if c != p) == \
        sorted(get_layout('coco')['inward'])
    names = COCO_17['joint_names']
    assert names[parents[names.index('left_hip')]] == 'left_shoulder'
    assert names[parents[names.index('right_ankle')]] == 'right_knee'


def mirror(name):
    side, _, part = name.partition('_')
    return {'left': 'right_', 'right': 'left_'}.get(side, side) + part


def test_flip_pairs_mirror_the_names():
    names = COCO_17['joint_names']
    swap = flip_permutation('coco')
    assert [names[w] for w in swap] == [mirror(n) for n in names]
    assert swap[0] == 0  # the nose


def test_two_d_coordinates_and_normalisation_joints():
    assert coordinate_dims('coco') == 2
    assert coordinate_dims('nturgb+d') == 3
    layout = get_layout('coco')
    assert (layout['left_shoulder'], layout['right_shoulder']) == (5, 6)
    # no hip centre or spine in COCO: the 3-D alignment is refused, naming
    # its 2-D replacement
    assert 'hip' not in layout and 'spine' not in layout
    with pytest.raises(ValueError, match='PreNormalizeImage2D'):
        PreNormalize2sAGCN(layout='coco')


def test_definition_round_trip_keeps_the_dimensions():
    definition = as_definition('coco')
    assert definition['coord_dims'] == 2
    assert same_layout(definition, 'coco')
    assert 'coord_dims' not in as_definition('nturgb+d')  # 3-D: as before
    lifted = dict(copy.deepcopy(definition), coord_dims=3)
    lifted.pop('name')
    assert not same_layout(lifted, 'coco')
    assert layout_difference(lifted, 'coco') == 'coord_dims'
    with pytest.raises(ValueError, match=r'x.coord_dims=4: give 2'):
        get_layout(dict(lifted, coord_dims=4), where='x')


def test_graph_config_naming_coco_agrees_with_its_definition():
    backbone = dict(type='STGCN', graph_cfg=dict(layout='coco'))
    # a pickle records the definition; the config's stock name is the same
    assert with_layout(backbone, as_definition('coco')) == backbone
