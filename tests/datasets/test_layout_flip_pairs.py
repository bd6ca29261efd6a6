"""Layouts' flip_pairs: validation and consistency with the bone tree."""
import copy

import pytest

from cmd_plugin.skeleton.layouts import (NTU_RGBD_25, NW_UCLA_20,
                                         flip_permutation, get_layout,
                                         register_layout)

# 0-based, from the joint names (NTU documentation; Kinect v1 as in
# /work/shared/data/README.md): NTU 5-12 shoulder..hand left then right,
# 13-20 hip..foot, 22-25 hand tips and thumbs.
_NTU_LEFT = [4, 5, 6, 7, 12, 13, 14, 15, 21, 22]
_NTU_RIGHT = [8, 9, 10, 11, 16, 17, 18, 19, 23, 24]


@pytest.mark.parametrize('layout', ['nturgb+d', 'nw-ucla'])
def test_swap_is_an_involution_that_maps_the_bone_tree(layout):
    swap = flip_permutation(layout)
    parents = get_layout(layout)['parents']
    assert sorted(swap) == list(range(len(swap)))
    assert [swap[s] for s in swap] == list(range(len(swap)))
    # The flip maps every bone (v, parent(v)) to a bone.
    bones = {(v, p) for v, p in enumerate(parents)}
    assert {(swap[v], swap[p]) for v, p in bones} == bones
    # And MMAction2's graph edges (undirected) onto themselves.
    edges = {frozenset(e) for e in get_layout(layout)['inward']}
    assert {frozenset(swap[v] for v in e) for e in edges} == edges


def test_ntu_pairs_left_to_right_and_midline_fixed():
    swap = flip_permutation('nturgb+d')
    assert [swap[v] for v in _NTU_LEFT] == _NTU_RIGHT
    # Spine base, spine mid, neck, head, spine (shoulder centre) stay.
    assert [swap[v] for v in (0, 1, 2, 3, 20)] == [0, 1, 2, 3, 20]


def test_nw_ucla_pairs_are_ntus_first_twenty():
    swap = flip_permutation('nw-ucla')
    assert [swap[v] for v in _NTU_LEFT[:8]] == _NTU_RIGHT[:8]
    assert swap[:4] == [0, 1, 2, 3]
    assert flip_permutation('nturgb+d')[:20] == swap


def _with_pairs(pairs, base=NW_UCLA_20):
    layout = copy.deepcopy(base)
    layout['name'] = 'flip-test'
    layout['flip_pairs'] = pairs
    return layout


@pytest.mark.parametrize('pairs,match', [
    ([(4, 20)], r'\(4, 20\) is not a pair of joint indices in \[0, 20\)'),
    ([(4, 8, 9)], 'is not a pair'),
    ([(4, 8), (8, 5)], 'joint 8 appears twice'),
    ([(4, 4)], 'joint 4 appears twice'),
    ([(4, 9)], r'onto itself at joints \[4, 5, 9, 10\]'),
    ([(4, 8)], 'bone tree'),  # elbows etc. left unpaired
])
def test_bad_pairs_are_refused(pairs, match):
    with pytest.raises(ValueError, match=match):
        get_layout(_with_pairs(pairs))
    with pytest.raises(ValueError, match=match):
        register_layout(_with_pairs(pairs))


def test_layout_without_pairs_is_valid_but_cannot_flip():
    layout = _with_pairs(None)
    assert get_layout(layout) == layout  # valid, nothing to complete
    del layout['flip_pairs']
    with pytest.raises(ValueError, match="'flip-test' has no flip_pairs"):
        flip_permutation(layout)


def test_paired_joints_need_their_parents_paired():
    # The NTU hand tips map the tree onto itself only together with their
    # ancestors up to the shoulders.
    ok = _with_pairs([(21, 23), (22, 24), (7, 11), (6, 10), (5, 9), (4, 8)],
                     base=NTU_RGBD_25)
    assert flip_permutation(ok)[21] == 23
    with pytest.raises(ValueError, match='bone tree'):
        get_layout(_with_pairs([(21, 23)], base=NTU_RGBD_25))
