"""Skeleton layouts: graph edges for MMAction2's ``Graph`` and bone parents.

A layout is a plain dict, referred to in configs by its ``name`` once
registered (:func:`register_layout`), or given whole. MMAction2's ``Graph``
reads ``num_node``, ``inward`` and ``center`` (:func:`graph_layout`);
``parents`` (0-based, the root is its own parent) defines bones:
``bone[v] = x[v] - x[parents[v]]``; ``hip``, ``spine``, ``left_shoulder``
and ``right_shoulder`` are the joints the 2s-AGCN normalisation aligns.
``flip_pairs`` (optional) lists the 0-based (left, right) joint pairs a
left-right flip swaps; the swap must map the bone tree onto itself.
Joint order conventions are explained in ``docs/cmd.md``.
"""
from typing import Dict, List, Optional, Sequence, Union

# NTU RGB+D, 25 joints. Bone pairs (1-based child, parent) as published and
# as MMAction2's JointToBone uses them; joint 21 (spine) is the root.
_NTU_BONES_1BASED = [(1, 2), (2, 21), (3, 21), (4, 3), (5, 21), (6, 5),
                     (7, 6), (8, 7), (9, 21), (10, 9), (11, 10), (12, 11),
                     (13, 1), (14, 13), (15, 14), (16, 15), (17, 1),
                     (18, 17), (19, 18), (20, 19), (21, 21), (22, 23),
                     (23, 8), (24, 25), (25, 12)]
# MMAction2's graph edges for 'nturgb+d' (they differ from the bone pairs at
# the hand tips, joints 22-25).
_NTU_GRAPH_1BASED = [(1, 2), (2, 21), (3, 21), (4, 3), (5, 21), (6, 5),
                     (7, 6), (8, 7), (9, 21), (10, 9), (11, 10), (12, 11),
                     (13, 1), (14, 13), (15, 14), (16, 15), (17, 1),
                     (18, 17), (19, 18), (20, 19), (22, 8), (23, 8),
                     (24, 12), (25, 12)]

NTU_RGBD_25 = dict(
    name='nturgb+d',
    num_node=25,
    inward=[(i - 1, j - 1) for i, j in _NTU_GRAPH_1BASED],
    center=20,
    parents=[p - 1 for _, p in sorted(_NTU_BONES_1BASED)],
    # 1-based in the NTU documentation: 1 hip (spine base), 2 spine-mid,
    # 5 left shoulder, 9 right shoulder.
    hip=0,
    spine=1,
    left_shoulder=4,
    right_shoulder=8,
    # 1-based: shoulder/elbow/wrist/hand 5-8 (left) and 9-12 (right),
    # hip/knee/ankle/foot 13-16 and 17-20, hand tip/thumb 22-23 and 24-25.
    flip_pairs=[(4, 8), (5, 9), (6, 10), (7, 11), (12, 16), (13, 17),
                (14, 18), (15, 19), (21, 23), (22, 24)],
)

# NW-UCLA / Kinect v1, 20 joints: NTU's first 20, joint 3 (shoulder centre)
# plays NTU joint 21's part, joint 1 (hip centre) is the root.
_UCLA_BONES_1BASED = [(2, 1), (3, 2), (4, 3), (5, 3), (6, 5), (7, 6), (8, 7),
                      (9, 3), (10, 9), (11, 10), (12, 11), (13, 1), (14, 13),
                      (15, 14), (16, 15), (17, 1), (18, 17), (19, 18),
                      (20, 19)]
_ucla_parents = list(range(20))
for _child, _parent in _UCLA_BONES_1BASED:
    _ucla_parents[_child - 1] = _parent - 1

NW_UCLA_20 = dict(
    name='nw-ucla',
    num_node=20,
    inward=[(i - 1, j - 1) for i, j in _UCLA_BONES_1BASED],
    center=2,
    parents=_ucla_parents,
    hip=0,
    spine=1,
    left_shoulder=4,
    right_shoulder=8,
    # NTU's pairs without the hand tips and thumbs (Kinect v1 has none).
    flip_pairs=[(4, 8), (5, 9), (6, 10), (7, 11), (12, 16), (13, 17),
                (14, 18), (15, 19)],
)

# SBU Kinect Interaction (OpenNI, 15 joints): 1 head, 2 neck, 3 torso,
# 4-6 left shoulder/elbow/hand, 7-9 right, 10-12 left hip/knee/foot,
# 13-15 right; the torso is the root. No hip centre: the normalisation's
# hip -> spine bone is torso -> neck, its centre the neck.
_SBU_BONES_1BASED = [(1, 2), (2, 3), (4, 2), (5, 4), (6, 5), (7, 2), (8, 7),
                     (9, 8), (10, 3), (11, 10), (12, 11), (13, 3), (14, 13),
                     (15, 14)]
_sbu_parents = list(range(15))
for _child, _parent in _SBU_BONES_1BASED:
    _sbu_parents[_child - 1] = _parent - 1

SBU_15 = dict(
    name='sbu',
    num_node=15,
    inward=[(i - 1, j - 1) for i, j in _SBU_BONES_1BASED],
    center=1,
    parents=_sbu_parents,
    hip=2,
    spine=1,
    left_shoulder=3,
    right_shoulder=6,
    flip_pairs=[(3, 6), (4, 7), (5, 8), (9, 12), (10, 13), (11, 14)],
)

LAYOUTS: Dict[str, dict] = {
    'nturgb+d': NTU_RGBD_25,
    'nw-ucla': NW_UCLA_20,
    'sbu': SBU_15,
}


def register_layout(layout: dict, force: bool = False) -> dict:
    """Make ``layout`` (a dict with a ``name``) usable by name in configs.

    Call it from a module listed in the config's ``custom_imports`` so every
    process (and every dataloader worker) knows the name.

    Raises:
        ValueError: No name, an inconsistent layout, or a name that exists
            with other contents (unless ``force``).
    """
    name = layout.get('name') if isinstance(layout, dict) else None
    if not isinstance(name, str) or not name:
        raise ValueError('register_layout needs a dict with a non-empty '
                         "'name', e.g. dict(name='my-kinect20', ...)")
    get_layout(layout)
    known = LAYOUTS.get(name)
    if known is not None and known != layout and not force:
        raise ValueError(
            f'a different layout is already registered as {name!r}; pick '
            'another name or pass force=True')
    LAYOUTS[name] = layout
    return layout


def layout_name(layout: Union[str, dict]) -> Optional[str]:
    """The layout's name, or None for an unnamed dict."""
    if isinstance(layout, str):
        return layout
    return get_layout(layout).get('name')


def same_layout(a: Union[str, dict], b: Union[str, dict]) -> bool:
    """Whether two layout references describe the same joints and bones."""
    la, lb = get_layout(a), get_layout(b)
    return (la['num_node'] == lb['num_node']
            and list(la['parents']) == list(lb['parents'])
            and layout_name(a) == layout_name(b))


def graph_layout(layout: Union[str, dict]) -> Union[str, dict]:
    """What MMAction2's ``Graph(layout=...)`` takes for this layout: its own
    name for NTU (identical edges), else the edges as a dict."""
    if isinstance(layout, str) and layout == 'nturgb+d':
        return layout
    resolved = get_layout(layout)
    missing = [k for k in ('inward', 'center') if k not in resolved]
    if missing:
        raise ValueError(
            f'layout {layout_name(layout)!r} lacks {missing}, which '
            "MMAction2's Graph needs: give the graph edges `inward` "
            '(child, parent) pairs and the `center` joint')
    return dict(num_node=int(resolved['num_node']),
                inward=[tuple(e) for e in resolved['inward']],
                center=int(resolved['center']))


def get_layout(layout: Union[str, dict]) -> dict:
    """Resolve a layout name or check a layout dict.

    Raises:
        ValueError: Unknown name, or a dict without consistent ``num_node``
            and ``parents``.
    """
    if isinstance(layout, str):
        if layout not in LAYOUTS:
            raise ValueError(
                f'unknown skeleton layout {layout!r}; use one of '
                f'{sorted(LAYOUTS)}, register yours with '
                'cmd_plugin.datasets.layouts.register_layout, or give a dict '
                'with num_node, inward, center and parents (see '
                'cmd_plugin/datasets/layouts.py)')
        return LAYOUTS[layout]
    if not isinstance(layout, dict):
        raise TypeError(f'layout must be a name or a dict, got {layout!r}')
    missing = [k for k in ('num_node', 'parents') if k not in layout]
    if missing:
        raise ValueError(
            f'layout dict lacks {missing}: bones need `parents` (0-based, '
            'root is its own parent) and `num_node`')
    parents: Sequence[int] = layout['parents']
    if len(parents) != layout['num_node']:
        raise ValueError(
            f"layout has num_node={layout['num_node']} but "
            f'{len(parents)} parents; give one parent per joint')
    bad = [p for p in parents if not 0 <= int(p) < layout['num_node']]
    if bad:
        raise ValueError(f'layout parents out of range: {bad}')
    if layout.get('flip_pairs') is not None:
        _flip_permutation(layout)
    return layout


def flip_permutation(layout: Union[str, dict]) -> List[int]:
    """``swap[v]``: the joint a left-right flip puts at index ``v``.

    Raises:
        ValueError: The layout has no ``flip_pairs``.
    """
    resolved = get_layout(layout)
    if resolved.get('flip_pairs') is None:
        raise ValueError(
            f'layout {layout_name(layout)!r} has no flip_pairs; add its '
            '0-based (left, right) joint pairs, e.g. flip_pairs=[(4, 8), '
            '...] (see cmd_plugin/datasets/layouts.py)')
    return _flip_permutation(resolved)


def _flip_permutation(layout: dict) -> List[int]:
    num_node = int(layout['num_node'])
    swap = list(range(num_node))
    seen = set()
    for pair in layout['flip_pairs']:
        if len(pair) != 2 or not all(0 <= int(v) < num_node for v in pair):
            raise ValueError(
                f'layout flip_pairs: {tuple(pair)} is not a pair of joint '
                f'indices in [0, {num_node})')
        left, right = (int(v) for v in pair)
        repeated = sorted({left, right} & seen) or (
            [left] if left == right else [])
        if repeated:
            raise ValueError(
                f'layout flip_pairs: joint {repeated[0]} appears twice; '
                'every joint is in at most one pair')
        seen |= {left, right}
        swap[left], swap[right] = right, left
    parents = [int(p) for p in layout['parents']]
    wrong = [
        v for v in range(num_node) if parents[swap[v]] != swap[parents[v]]
    ]
    if wrong:
        raise ValueError(
            f'layout flip_pairs do not map the bone tree onto itself at '
            f'joints {wrong} (parents[swap[v]] != swap[parents[v]]); pair '
            'each left joint with its right mirror, parents included')
    return swap


def bone_parents(layout: Union[str, dict]) -> List[int]:
    """0-based parent index of every joint (root -> itself)."""
    return [int(p) for p in get_layout(layout)['parents']]
