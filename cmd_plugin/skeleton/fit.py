"""Does a layout fit the data? What the coordinates can reveal, and not.

Two tests, both on a few samples' frames:

- **Bone constancy.** The length of a real bone varies only by tracking
  noise, while the distance between two joints that are not connected
  varies with every movement in between. So a joint's declared parent
  should be among the joints whose distance to it varies least; a layout
  with another joint order fails that for many joints at once. (Relative
  variation is no good test: short bones have a large one from noise
  alone.)
- **Left/right symmetry.** A flip pair's bones (left upper arm, right
  upper arm) have the same length up to tracking noise; a layout whose
  pairs name other joints pairs bones of different lengths.

Neither sees a permutation that maps the skeleton onto a skeleton of the
same shape: left and right swapped wholesale, or rigid joints exchanged
whose distances stay constant among themselves (the torso joints of a
Kinect skeleton: hip centre, spine, shoulder centre move as one block).
``docs/benchmarks.md`` ("Which wrong joint orders the load check
catches") measures what share of random permutations each catches.
"""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from .layouts import bone_parents, flip_permutation, get_layout

# A declared parent ranked below this fraction of the other joints counts
# as inconsistent; measured rank of true parents on NW-UCLA and the
# synthetic set: 0-5 of 19-24, shuffled joint orders: mostly > 5.
_RANK_FRACTION = 0.25


def inconsistent_bones(keypoints: Sequence[np.ndarray],
                       parents: Sequence[int]) -> List[Tuple[int, int]]:
    """(joint, parent) pairs, 0-based, whose length varies over frames more
    than the joint's distance to most other joints.

    Args:
        keypoints (Sequence[np.ndarray]): A few samples' (M, T, V, C)
            coordinates; all-zero frames (absent persons) are ignored.
        parents (Sequence[int]): The layout's parent of each joint.
    """
    num_joints = len(parents)
    spreads = []
    for keypoint in keypoints:
        for person in np.asarray(keypoint, dtype=np.float64):
            frames = person[np.abs(person).sum(axis=(1, 2)) > 0]
            if len(frames) < 2 or person.shape[1] != num_joints:
                continue
            dist = np.linalg.norm(
                frames[:, :, None] - frames[:, None, :], axis=-1)
            spreads.append(dist.std(axis=0))  # (V, V) over frames
    if not spreads:
        return []
    spread = np.median(np.stack(spreads), axis=0)
    limit = max(1, int(_RANK_FRACTION * num_joints))
    bad = []
    for joint, parent in enumerate(parents):
        if parent == joint:
            continue
        others = np.delete(spread[joint], joint)
        if int((others < spread[joint, parent]).sum()) > limit:
            bad.append((joint, int(parent)))
    return bad


# A flip pair of bones counts as asymmetric when their median lengths
# differ by more than this factor; measured on NW-UCLA, SBU and the
# synthetic set with their true layouts: at most 1.12 (NW-UCLA), 1.05
# (SBU), 1.01 (synthetic).
_SYMMETRY_RATIO = 1.5


def asymmetric_bones(keypoints: Sequence[np.ndarray], parents: Sequence[int],
                     swap: Sequence[int]) -> List[Tuple[int, int]]:
    """(left joint, right joint) pairs, 0-based, whose bones (to their
    parents) differ in median length by more than a factor of
    :data:`_SYMMETRY_RATIO`.

    Args:
        keypoints (Sequence[np.ndarray]): A few samples' (M, T, V, C).
        parents (Sequence[int]): The layout's parent of each joint.
        swap (Sequence[int]): The layout's flip permutation.
    """
    lengths = _median_bone_lengths(keypoints, parents)
    if lengths is None:
        return []
    bad = []
    for v, w in enumerate(swap):
        if w <= v or parents[v] == v or parents[w] == w:
            continue
        short, long = sorted((lengths[v], lengths[w]))
        if long > _SYMMETRY_RATIO * max(short, 1e-6):
            bad.append((v, int(w)))
    return bad


def _median_bone_lengths(keypoints, parents):
    per_frame = []
    index = np.asarray(parents)
    for keypoint in keypoints:
        for person in np.asarray(keypoint, dtype=np.float64):
            frames = person[np.abs(person).sum(axis=(1, 2)) > 0]
            if len(frames) == 0 or person.shape[1] != len(parents):
                continue
            per_frame.append(np.linalg.norm(frames - frames[:, index],
                                            axis=-1))
    if not per_frame:
        return None
    return np.median(np.concatenate(per_frame), axis=0)


# Share of a layout's bones failing the constancy test that means the
# layout does not fit (true layouts: 0-2 of 14-24 bones on NW-UCLA, SBU and
# the synthetic set, even on 8 samples; shuffled joint orders: half or
# more). Asymmetric flip pairs that mean it: true layouts have none.
_BAD_BONE_SHARE = 0.25
_BAD_PAIRS = 1


def layout_misfit(keypoints: Sequence[np.ndarray],
                  layout: Union[str, dict]) -> Optional[Dict[str, list]]:
    """What shows that ``layout`` does not fit the data, or None.

    Returns:
        dict, optional: ``bones``: (joint, parent) pairs failing the
        constancy test, ``pairs``: asymmetric (left, right) flip pairs;
        None when neither test fires.
    """
    parents = bone_parents(layout)
    bad = inconsistent_bones(keypoints, parents)
    bones = sum(p != j for j, p in enumerate(parents))
    # a few ranked-low bones are noise of small samples; a wrong joint
    # order misplaces a large share of them
    bones_fire = len(bad) >= max(2, _BAD_BONE_SHARE * bones)
    pairs = []
    if get_layout(layout).get('flip_pairs'):
        pairs = asymmetric_bones(keypoints, parents, flip_permutation(layout))
    if not bones_fire and len(pairs) < _BAD_PAIRS:
        return None
    return dict(bones=bad if bones_fire else [], pairs=pairs)
