"""Skeleton layouts: what the joints of the data are and how they connect.

A layout is a plain dict, referred to by its ``name`` once registered
(:func:`register_layout`), or given whole -- in a config or in the
annotation pickle itself (its top-level ``layout``). Fields, all 0-based:

- ``num_node``: joints per frame.
- ``parents`` (or ``inward``): the bone tree, ``bone[v] = x[v] -
  x[parents[v]]``, the root its own parent; ``inward`` lists (child,
  parent) edges for MMAction2's ``Graph`` (it may add edges to the tree).
  Either one is enough: the other follows.
- ``center``: the graph's centre joint (default: the root).
- ``hip``, ``spine``, ``left_shoulder``, ``right_shoulder``: the joints the
  2s-AGCN normalisation aligns (needed by ``PreNormalize2sAGCN`` only).
- ``flip_pairs``: (left, right) pairs a left-right flip swaps; the swap
  must map the bone tree onto itself.
- ``joint_names`` (optional): one name per joint, for messages.
- ``coord_dims`` (optional): coordinates per joint, 3 (x, y, z; the
  default) or 2 (x, y in the image, e.g. COCO-17 keypoints of a pose
  estimator). A channel after the coordinates is the keypoint's
  confidence score (MMAction2's 2-D convention: (x, y, score)); motion,
  bone and every geometric augmentation leave it out of the geometry
  (:func:`coordinate_dims`).

:func:`get_layout` checks a definition field by field (a tree over all
joints, indices in range, flips that map bones onto bones), each error
naming the field. Joint order conventions: ``docs/cmd.md``.
"""
from typing import Dict, List, Optional, Union

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


def _parents_of(num_node: int, bones_1based) -> List[int]:
    """0-based parents from 1-based (child, parent) bones; a joint no bone
    names as its child is its own parent (the root)."""
    parents = list(range(num_node))
    for child, parent in bones_1based:
        parents[child - 1] = parent - 1
    return parents


NW_UCLA_20 = dict(
    name='nw-ucla',
    num_node=20,
    inward=[(i - 1, j - 1) for i, j in _UCLA_BONES_1BASED],
    center=2,
    parents=_parents_of(20, _UCLA_BONES_1BASED),
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

SBU_15 = dict(
    name='sbu',
    num_node=15,
    inward=[(i - 1, j - 1) for i, j in _SBU_BONES_1BASED],
    center=1,
    parents=_parents_of(15, _SBU_BONES_1BASED),
    hip=2,
    spine=1,
    left_shoulder=3,
    right_shoulder=6,
    flip_pairs=[(3, 6), (4, 7), (5, 8), (9, 12), (10, 13), (11, 14)],
)

# COCO-17 keypoints (2-D, in image pixels), as MMAction2's Graph('coco')
# and its 2-D skeleton pickles (HRNet detections) use them. The bone tree is
# the graph's own tree, rooted at the nose: the hips hang from their
# shoulders. (MMAction2's JointToBone(dataset='coco') hangs the hips from
# the nose instead; the torso side is the shorter, steadier segment, and
# the one the layout check measures: docs in cmd_plugin/skeleton/fit.py.)
_COCO_GRAPH = [(15, 13), (13, 11), (16, 14), (14, 12), (11, 5), (12, 6),
               (9, 7), (7, 5), (10, 8), (8, 6), (5, 0), (6, 0), (1, 0),
               (3, 1), (2, 0), (4, 2)]

COCO_17 = dict(
    name='coco',
    num_node=17,
    inward=list(_COCO_GRAPH),
    center=0,
    parents=[0, 0, 0, 1, 2, 0, 0, 5, 6, 7, 8, 5, 6, 11, 12, 13, 14],
    coord_dims=2,
    # The 2s-AGCN normalisation's joints: COCO has no hip centre or spine
    # joint, so `hip` and `spine` are left out and PreNormalize2sAGCN
    # refuses the layout. Its 2-D replacement is PreNormalizeImage2D
    # (MMAction2's PreNormalize2D): the image centre takes the spine's
    # place as origin, half the image size the unit, and nothing is
    # rotated (a 2-D view has no depth to turn towards the camera).
    left_shoulder=5,
    right_shoulder=6,
    flip_pairs=[(1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12),
                (13, 14), (15, 16)],
    joint_names=['nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
                 'left_shoulder', 'right_shoulder', 'left_elbow',
                 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip',
                 'right_hip', 'left_knee', 'right_knee', 'left_ankle',
                 'right_ankle'],
)

LAYOUTS: Dict[str, dict] = {
    'nturgb+d': NTU_RGBD_25,
    'nw-ucla': NW_UCLA_20,
    'sbu': SBU_15,
    'coco': COCO_17,
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
    checked = dict(get_layout(layout, where=f'layout {name!r}'))
    known = LAYOUTS.get(name)
    if known is not None and not force and not same_layout(known, checked):
        raise ValueError(
            f'a different layout is already registered as {name!r}; pick '
            'another name or pass force=True')
    LAYOUTS[name] = checked  # completed: parents, inward and centre
    return checked


def layout_name(layout: Union[str, dict]) -> Optional[str]:
    """The layout's name, or None for an unnamed dict."""
    if isinstance(layout, str):
        return layout
    return get_layout(layout).get('name')


def layout_label(layout: Union[str, dict]) -> str:
    """``'nw-ucla' (20 joints)`` or ``an unnamed 20-joint layout``, for
    messages."""
    try:
        resolved = get_layout(layout)
    except (TypeError, ValueError):
        return repr(layout)
    name = resolved.get('name') if isinstance(layout, dict) else layout
    joints = int(resolved['num_node'])
    if name:
        return f'{name!r} ({joints} joints)'
    return f'an unnamed {joints}-joint layout'


# what makes two layouts the same skeleton: everything a model or a
# transform reads; a name is only a label
_SIGNATURE_KEYS = ('num_node', 'parents', 'center', 'hip', 'spine',
                   'left_shoulder', 'right_shoulder')


def layout_signature(layout: Union[str, dict]) -> tuple:
    """A hashable summary of what a model or transform reads of a layout:
    joints, bones, graph edges, centre, normalisation joints, flips,
    coordinates per joint."""
    resolved = get_layout(layout)
    values = [resolved.get(k) for k in _SIGNATURE_KEYS]
    values[1] = tuple(int(p) for p in values[1])
    edges = tuple(sorted(tuple(sorted(int(v) for v in e))
                         for e in resolved['inward']))
    flips = resolved.get('flip_pairs')
    flips = None if flips is None else tuple(
        sorted(tuple(sorted(int(v) for v in p)) for p in flips))
    return tuple(values) + (edges, flips, _dims(resolved))


def same_layout(a: Union[str, dict], b: Union[str, dict]) -> bool:
    """Whether two layout references describe the same skeleton (names
    aside: a registered name and the definition it stands for agree)."""
    return layout_signature(a) == layout_signature(b)


def layout_difference(a: Union[str, dict], b: Union[str, dict]) -> str:
    """The fields in which two layouts differ, for messages."""
    fields = _SIGNATURE_KEYS + ('inward', 'flip_pairs', 'coord_dims')
    return ', '.join(f for f, x, y in zip(fields, layout_signature(a),
                                          layout_signature(b)) if x != y)


def as_definition(layout: Union[str, dict]) -> dict:
    """The full definition of a layout as plain lists and ints (what a
    checkpoint's meta stores and ``Graph`` can be given)."""
    resolved = get_layout(layout)
    out = dict(name=layout_name(layout)) if layout_name(layout) else {}
    out['num_node'] = int(resolved['num_node'])
    out['parents'] = [int(p) for p in resolved['parents']]
    out['inward'] = [[int(v) for v in e] for e in resolved['inward']]
    for key in _SIGNATURE_KEYS[2:]:
        if resolved.get(key) is not None:
            out[key] = int(resolved[key])
    if resolved.get('flip_pairs') is not None:
        out['flip_pairs'] = [[int(v) for v in p]
                             for p in resolved['flip_pairs']]
    if resolved.get('joint_names') is not None:
        out['joint_names'] = [str(n) for n in resolved['joint_names']]
    if _dims(resolved) != 3:  # 3-D definitions read as before
        out['coord_dims'] = _dims(resolved)
    return out


# layouts whose edges and centre MMAction2's Graph knows by the same name
_GRAPH_NAMED = ('nturgb+d', 'coco')


def graph_layout(layout: Union[str, dict]) -> Union[str, dict]:
    """What MMAction2's ``Graph(layout=...)`` takes for this layout: its own
    name for NTU and COCO (identical edges), else the edges as a dict."""
    if isinstance(layout, str) and layout in _GRAPH_NAMED:
        return layout
    resolved = get_layout(layout)
    return dict(num_node=int(resolved['num_node']),
                inward=[tuple(int(v) for v in e) for e in resolved['inward']],
                center=int(resolved['center']))


def get_layout(layout: Union[str, dict], where: str = 'layout') -> dict:
    """Resolve a layout name, or check a definition and complete it
    (``parents`` from ``inward`` or the reverse, ``center`` = the root).

    Args:
        layout (str | dict): A registered name or a definition.
        where (str): How messages name the value, e.g. ``'data.pkl:
            layout'``.

    Raises:
        ValueError: Unknown name, or a definition that is not a skeleton,
            naming the field.
    """
    if isinstance(layout, str):
        if layout not in LAYOUTS:
            raise ValueError(
                f'{where}: unknown skeleton layout {layout!r}; use one of '
                f'{sorted(LAYOUTS)}, register yours with '
                'cmd_plugin.skeleton.layouts.register_layout, or give a '
                'definition dict (num_node, parents or inward, ...; see '
                'cmd_plugin/skeleton/layouts.py)')
        return LAYOUTS[layout]
    if not isinstance(layout, dict):
        raise TypeError(f'{where} must be a layout name or a definition '
                        f'dict, got {type(layout).__name__} {layout!r}')
    key = _definition_key(layout)
    cached = _CHECKED.get(key)
    if cached is None:
        cached = _CHECKED[key] = _check_definition(layout, where)
    return cached


# checked definitions by content: a transform or a model resolving the
# same dict again costs one repr
_CHECKED: Dict[str, dict] = {}


def _definition_key(layout: dict) -> str:
    return repr(sorted((str(k), repr(v)) for k, v in layout.items()))


def _check_definition(layout: dict, where: str) -> dict:
    out = dict(layout)
    num_node = layout.get('num_node')
    if isinstance(num_node, bool) or not isinstance(num_node, int) \
            or num_node < 1:
        raise ValueError(f'{where}.num_node={num_node!r}: give the number '
                         'of joints per frame, a positive int')
    if layout.get('parents') is None and layout.get('inward') is None:
        raise ValueError(
            f'{where} has neither parents nor inward: give the bone tree as '
            '`parents` (0-based parent of each joint, the root its own '
            'parent) or as `inward` (child, parent) edges')
    if layout.get('inward') is not None:
        out['inward'] = _check_edges(layout['inward'], num_node, where)
    if layout.get('parents') is not None:
        out['parents'] = _check_parents(layout['parents'], num_node, where)
    else:
        out['parents'] = _parents_from_edges(out['inward'], num_node, where,
                                             layout.get('center'))
    root = _check_tree(out['parents'], where)
    if layout.get('inward') is None:
        out['inward'] = [(v, p) for v, p in enumerate(out['parents'])
                         if v != p]
    for field in _SIGNATURE_KEYS[2:]:
        value = layout.get(field)
        if value is not None and (isinstance(value, bool)
                                  or not isinstance(value, int)
                                  or not 0 <= value < num_node):
            raise ValueError(f'{where}.{field}={value!r} is not a joint '
                             f'index in [0, {num_node})')
    if out.get('center') is None:
        out['center'] = root
    dims = layout.get('coord_dims')
    if dims is not None and (isinstance(dims, bool) or dims not in (2, 3)):
        raise ValueError(f'{where}.coord_dims={dims!r}: give 2 (x, y image '
                         'keypoints) or 3 (x, y, z; the default)')
    names = layout.get('joint_names')
    if names is not None and (len(names) != num_node
                              or len(set(names)) != num_node):
        raise ValueError(f'{where}.joint_names: give {num_node} distinct '
                         f'names, one per joint (got {len(names)})')
    if layout.get('flip_pairs') is not None:
        _flip_permutation(out, where)
    return out


def _check_parents(parents, num_node: int, where: str) -> List[int]:
    if isinstance(parents, (str, bytes)) or not hasattr(parents, '__len__'):
        raise ValueError(f'{where}.parents must be a list of joint indices, '
                         f'got {parents!r}')
    if len(parents) != num_node:
        raise ValueError(f'{where}.parents has {len(parents)} entries for '
                         f'num_node={num_node}; give one parent per joint')
    out = []
    for v, p in enumerate(parents):
        if isinstance(p, bool) or int(p) != p or not 0 <= int(p) < num_node:
            raise ValueError(f'{where}.parents[{v}]={p!r} is not a joint '
                             f'index in [0, {num_node})')
        out.append(int(p))
    return out


def _check_edges(edges, num_node: int, where: str) -> List[tuple]:
    out = []
    for i, edge in enumerate(edges):
        if len(edge) != 2 or not all(
                not isinstance(v, bool) and int(v) == v
                and 0 <= int(v) < num_node for v in edge):
            raise ValueError(f'{where}.inward[{i}]={tuple(edge)!r} is not a '
                             f'(child, parent) pair of joint indices in '
                             f'[0, {num_node})')
        out.append((int(edge[0]), int(edge[1])))
    return out


def _parents_from_edges(edges, num_node: int, where: str,
                        center: Optional[int]) -> List[int]:
    # the bone tree of a graph given only as edges: breadth-first from the
    # centre (or the one joint that is never a child)
    # the root: the one joint no edge names as a child (the graph centre
    # may be another joint, e.g. NW-UCLA's), else the centre
    children = {c for c, p in edges if c != p}
    roots = [v for v in range(num_node) if v not in children]
    root = roots[0] if len(roots) == 1 else center
    if root is None:
        raise ValueError(
            f'{where}: inward has {len(roots)} joints that are no joint\'s '
            f'child ({roots[:8]}); give `center` (the root) or `parents`')
    neighbours = {v: set() for v in range(num_node)}
    for c, p in edges:
        neighbours[c].add(p)
        neighbours[p].add(c)
    parents = [-1] * num_node
    parents[root] = root
    frontier = [root]
    while frontier:
        nxt = []
        for v in frontier:
            for u in sorted(neighbours[v]):
                if parents[u] < 0:
                    parents[u] = v
                    nxt.append(u)
        frontier = nxt
    loose = [v for v in range(num_node) if parents[v] < 0]
    if loose:
        raise ValueError(f'{where}.inward does not connect joints {loose} '
                         'to the rest: a skeleton is one tree over all '
                         'joints')
    return parents


def _check_tree(parents: List[int], where: str) -> int:
    roots = [v for v, p in enumerate(parents) if v == p]
    if len(roots) != 1:
        raise ValueError(
            f'{where}.parents has {len(roots)} roots (joints that are their '
            f'own parent: {roots[:8]}); a skeleton is one tree with one '
            'root')
    for start in range(len(parents)):
        seen, v = set(), start
        while parents[v] != v:
            if v in seen:
                raise ValueError(
                    f'{where}.parents has a cycle through joint {start} '
                    f'(path {sorted(seen)[:8]}); every joint must reach the '
                    f'root {roots[0]}')
            seen.add(v)
            v = parents[v]
    return roots[0]


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
            '...] (see cmd_plugin/skeleton/layouts.py)')
    return _flip_permutation(resolved)


def _flip_permutation(layout: dict, where: str = 'layout') -> List[int]:
    num_node = int(layout['num_node'])
    swap = list(range(num_node))
    seen = set()
    for pair in layout['flip_pairs']:
        if len(pair) != 2 or not all(0 <= int(v) < num_node for v in pair):
            raise ValueError(
                f'{where} flip_pairs: {tuple(pair)} is not a pair of joint '
                f'indices in [0, {num_node})')
        left, right = (int(v) for v in pair)
        repeated = sorted({left, right} & seen) or (
            [left] if left == right else [])
        if repeated:
            raise ValueError(
                f'{where} flip_pairs: joint {repeated[0]} appears twice; '
                'every joint is in at most one pair')
        seen |= {left, right}
        swap[left], swap[right] = right, left
    parents = [int(p) for p in layout['parents']]
    wrong = [
        v for v in range(num_node) if parents[swap[v]] != swap[parents[v]]
    ]
    if wrong:
        raise ValueError(
            f'{where} flip_pairs do not map the bone tree onto itself at '
            f'joints {wrong} (parents[swap[v]] != swap[parents[v]]); pair '
            'each left joint with its right mirror, parents included')
    return swap


def coordinate_dims(layout: Union[str, dict]) -> int:
    """Coordinates per joint of the layout's keypoints: 2 or 3 (default).

    A keypoint array with more channels than this carries the confidence
    score after the coordinates, (x, y, score) for a 2-D layout.
    """
    return _dims(get_layout(layout))


def _dims(resolved: dict) -> int:
    return int(resolved.get('coord_dims') or 3)


def bone_parents(layout: Union[str, dict]) -> List[int]:
    """0-based parent of every joint (root -> itself)."""
    return [int(p) for p in get_layout(layout)['parents']]
