"""A layout definition, as a pickle may carry it, is checked field by
field; a definition given as graph edges alone completes to the same
skeleton."""
import copy

import pytest

from cmd_plugin.skeleton.layouts import (NW_UCLA_20, SBU_15, as_definition,
                                         get_layout, layout_difference,
                                         same_layout)


def ucla(**changes):
    layout = copy.deepcopy(NW_UCLA_20)
    layout.pop('name')
    layout.update(changes)
    return layout


def _cycle():
    parents = list(NW_UCLA_20['parents'])
    parents[1], parents[2] = 2, 1  # spine <-> shoulder centre
    return parents


@pytest.mark.parametrize('changes,match', [
    (dict(num_node=0), r'data.pkl: layout.num_node=0: give the number'),
    (dict(num_node='20'), r'layout.num_node=.20.'),
    (dict(parents=list(range(19))), r'layout.parents has 19 entries for '
     r'num_node=20'),
    (dict(parents=[0] * 19 + [20]), r'layout.parents\[19\]=20 is not a '
     r'joint index in \[0, 20\)'),
    (dict(parents=list(range(20))), r'layout.parents has 20 roots'),
    (dict(parents=_cycle()), r'layout.parents has a cycle through joint 1'),
    (dict(inward=[(1, 0), (25, 1)]), r'layout.inward\[1\]=\(25, 1\) is not '
     r'a \(child, parent\) pair'),
    (dict(center=20), r'layout.center=20 is not a joint index'),
    (dict(hip=-1), r'layout.hip=-1 is not a joint index'),
    (dict(joint_names=['a'] * 20), r'layout.joint_names: give 20 distinct '
     r'names'),
    (dict(flip_pairs=[(4, 9)]), r'flip_pairs do not map the bone tree onto '
     r'itself'),
])
def test_every_error_names_the_field(changes, match):
    with pytest.raises(ValueError, match=match):
        get_layout(ucla(**changes), where='data.pkl: layout')


def test_neither_parents_nor_edges_nor_a_tree():
    layout = ucla()
    del layout['parents'], layout['inward']
    with pytest.raises(ValueError, match='neither parents nor inward'):
        get_layout(layout)
    loose = ucla(inward=[(c, p) for c, p in NW_UCLA_20['inward']
                         if c != 19])
    del loose['parents']
    with pytest.raises(ValueError, match=r'inward does not connect joints '
                       r'\[19\]'):
        get_layout(loose)


@pytest.mark.parametrize('layout', [NW_UCLA_20, SBU_15])
def test_edges_alone_complete_to_the_same_skeleton(layout):
    """Bone root and graph centre differ on NW-UCLA (hip centre, shoulder
    centre): the parents come from the edges' direction, not the centre."""
    edges_only = {k: v for k, v in layout.items()
                  if k not in ('parents', 'name')}
    assert get_layout(edges_only)['parents'] == layout['parents']
    assert same_layout(edges_only, layout['name'])
    parents_only = {k: v for k, v in layout.items()
                    if k not in ('inward', 'center', 'name')}
    completed = get_layout(parents_only)
    assert sorted(completed['inward']) == sorted(layout['inward'])


def test_same_skeleton_means_same_content_not_same_name():
    renamed = dict(as_definition('nw-ucla'), name='my-kinect')
    assert same_layout(renamed, 'nw-ucla')
    moved = ucla(hip=1, spine=0)
    assert not same_layout(moved, 'nw-ucla')
    assert layout_difference(moved, 'nw-ucla') == 'hip, spine'
