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

**2-D keypoints** (a projection; (x, y) channels only, a score after them
is left out) keep neither test exact: a bone's image length shrinks as
it turns out of the image plane, a subject walking towards the camera or
a zoom scales every distance of a frame, and a body seen from its side
projects its far limbs shorter. Measured on real 2-D data -- Penn Action
(13 hand-annotated joints, 2,326 YouTube clips) and NW-UCLA's 3-D joints
projected to (x, y), orthographic and pinhole -- on 64 clips picked as
the dataset picks them, the 3-D rules warn on 2 of 200 random Penn sets
and on 7 of its 15 one-action sets (lying, sitting, side-on: bench press
fails 6 of 12 bones), though never on projected NW-UCLA. For 2-D the
check therefore (a) divides each frame's distances by that frame's
median joint distance before measuring their spread, taking out zoom and
subject distance (true bones failing: at most 6 of 12 on any Penn
action, 0 on mixed Penn sets, at most 2 of 19 on projected NW-UCLA); (b)
fires on the bones only when more than half fail, not a quarter; (c)
compares mirror bones per person and takes the median of the signed
ratios, so bodies seen from the left and from the right cancel
(:func:`_mirror_ratios_2d`), with the factor 2 rather than 1.5; (d)
skips a person's pair one of whose bones is shorter than a fifth of its
median bone (joints never annotated, collapsed onto their parent, as in
Penn's guitar clips). So relaxed it warns on none of those sets (Penn:
both splits, 200 random sets, the 15 one-action sets and 30 random draws
of each; NW-UCLA in both projections: its splits, views, 200 random sets,
10 one-action sets) and still catches 98-100% of wholly wrong joint
orders and of shuffled limbs and 68-84% of two swapped joints (by
symmetry alone; 100 random orders each, on Penn's training split and
NW-UCLA's cross-view training split). What it cannot do: a set of one
action filmed from one side only keeps its one-sided asymmetry, and
Penn's lying actions so split (bench press, push-up, sit-up from the left
or the right: 6 of its 38 action-side sets of 20 or more clips) warn.
"""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from .layouts import (bone_parents, coordinate_dims, flip_permutation,
                      get_layout)

# A declared parent ranked below this fraction of the other joints counts
# as inconsistent; measured rank of true parents on NW-UCLA and the
# synthetic set: 0-5 of 19-24, shuffled joint orders: mostly > 5.
_RANK_FRACTION = 0.25


def inconsistent_bones(keypoints: Sequence[np.ndarray],
                       parents: Sequence[int],
                       scale_free: bool = False) -> List[Tuple[int, int]]:
    """(joint, parent) pairs, 0-based, whose length varies over frames more
    than the joint's distance to most other joints.

    Args:
        keypoints (Sequence[np.ndarray]): A few samples' (M, T, V, C)
            coordinates; all-zero frames (absent persons) are ignored.
        parents (Sequence[int]): The layout's parent of each joint.
        scale_free (bool): Divide each frame's distances by the frame's
            median distance between joints first (2-D: zoom and subject
            distance scale a whole frame). Defaults to False.
    """
    num_joints = len(parents)
    spreads = []
    upper = np.triu_indices(num_joints, 1)
    for keypoint in keypoints:
        for person in np.asarray(keypoint, dtype=np.float64):
            frames = person[np.abs(person).sum(axis=(1, 2)) > 0]
            if len(frames) < 2 or person.shape[1] != num_joints:
                continue
            dist = np.linalg.norm(
                frames[:, :, None] - frames[:, None, :], axis=-1)
            if scale_free:
                size = np.median(dist[:, upper[0], upper[1]], axis=1)
                dist = dist / np.maximum(size, 1e-9)[:, None, None]
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
# 2-D: the same factor, of the median over persons of each person's signed
# ratio (see _mirror_ratios_2d). True layouts: at most 1.57 on 64-clip draws
# of any one Penn action, 1.08 on mixed Penn and projected NW-UCLA sets;
# wrong joint orders: at least 2.05.
_SYMMETRY_RATIO_2D = 2.0
# 2-D: a person's pair with a bone shorter than this share of the person's
# median bone is not judged: joints never annotated (or detected) sit on
# their parent, e.g. Penn's guitar players' legs (ratios of 1e8 otherwise).
_SHORTEST_BONE_2D = 0.2


def asymmetric_bones(keypoints: Sequence[np.ndarray], parents: Sequence[int],
                     swap: Sequence[int],
                     flat: bool = False) -> List[Tuple[int, int]]:
    """(left joint, right joint) pairs, 0-based, whose bones (to their
    parents) differ in median length by more than a factor of
    :data:`_SYMMETRY_RATIO` (2-D: :data:`_SYMMETRY_RATIO_2D`).

    Args:
        keypoints (Sequence[np.ndarray]): A few samples' (M, T, V, C).
        parents (Sequence[int]): The layout's parent of each joint.
        swap (Sequence[int]): The layout's flip permutation.
        flat (bool): 2-D coordinates (:func:`_mirror_ratios_2d`).
            Defaults to False.
    """
    pairs = [(v, int(w)) for v, w in enumerate(swap)
             if w > v and parents[v] != v and parents[w] != w]
    if flat:
        ratios = _mirror_ratios_2d(keypoints, parents, pairs)
        return [pair for pair, r in zip(pairs, ratios)
                if r > _SYMMETRY_RATIO_2D]
    lengths = _median_bone_lengths(keypoints, parents)
    if lengths is None:
        return []
    bad = []
    for v, w in pairs:
        short, long = sorted((lengths[v], lengths[w]))
        if long > _SYMMETRY_RATIO * max(short, 1e-6):
            bad.append((v, w))
    return bad


def _mirror_ratios_2d(keypoints, parents, pairs) -> List[float]:
    """Per flip pair, ``exp(|median over persons of log(L_left /
    L_right)|)`` with L a person's median bone length in the image.

    Seen from its side, a body's far limbs project shorter; from the
    other side the near ones. The sign of a person's ratio flips with the
    side, so the median over persons filmed from both sides stays near 1
    (a wrong layout's ratio keeps its sign) where pooled lengths do not
    (Penn's bench press: 1.23 against 6.0). A set filmed from one side
    only keeps the asymmetry (bench press from the left: 7.3): no 2-D
    statistic tells that from a wrong pair.
    """
    if not pairs:
        return []
    index = np.asarray(parents)
    bones = [v for v, p in enumerate(parents) if p != v]
    logs = []
    for keypoint in keypoints:
        for person in np.asarray(keypoint, dtype=np.float64):
            frames = person[np.abs(person).sum(axis=(1, 2)) > 0]
            if len(frames) == 0 or person.shape[1] != len(parents):
                continue
            length = np.median(
                np.linalg.norm(frames - frames[:, index], axis=-1), axis=0)
            floor = _SHORTEST_BONE_2D * np.median(length[bones])
            logs.append([
                np.log(length[v] / length[w])
                if min(length[v], length[w]) > max(floor, 0) else np.nan
                for v, w in pairs
            ])
    ratios = []
    logs = np.asarray(logs, dtype=np.float64).reshape(-1, len(pairs))
    for column in logs.T:
        judged = column[~np.isnan(column)]
        ratios.append(float(np.exp(abs(np.median(judged))))
                      if len(judged) else 1.0)
    return ratios


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
# 2-D (scale-free spreads): true layouts fail at most 6 of 12 bones (half)
# on Penn Action's worst one-action sets (jump rope, guitar), 0 on its
# splits and mixed sets, at most 2 of 19 on NW-UCLA projected to (x, y);
# shuffled joint orders fail a median of 8 of 12 (Penn) and 13 of 19
# (NW-UCLA). It fires above half.
_BAD_BONE_SHARE_2D = 0.55


def coordinates(keypoint: np.ndarray, layout: Union[str, dict]) -> np.ndarray:
    """The coordinate channels of a (..., C) keypoint array: all of them,
    or the layout's ``coord_dims`` when a score follows."""
    keypoint = np.asarray(keypoint)
    return keypoint[..., :min(keypoint.shape[-1], coordinate_dims(layout))]


def layout_misfit(keypoints: Sequence[np.ndarray],
                  layout: Union[str, dict]) -> Optional[Dict[str, list]]:
    """What shows that ``layout`` does not fit the data, or None.

    Only the coordinates are measured (a score channel after them is left
    out); 2-D coordinates get the 2-D rules of the module doc.

    Returns:
        dict, optional: ``bones``: (joint, parent) pairs failing the
        constancy test, ``pairs``: asymmetric (left, right) flip pairs;
        None when neither test fires.
    """
    keypoints = [coordinates(k, layout) for k in keypoints]
    flat = any(np.ndim(k) == 4 and np.shape(k)[-1] == 2 for k in keypoints)
    parents = bone_parents(layout)
    bad = inconsistent_bones(keypoints, parents, scale_free=flat)
    bones = sum(p != j for j, p in enumerate(parents))
    # a few ranked-low bones are noise of small samples; a wrong joint
    # order misplaces a large share of them
    share = _BAD_BONE_SHARE_2D if flat else _BAD_BONE_SHARE
    bones_fire = len(bad) >= max(2, share * bones)
    pairs = []
    if get_layout(layout).get('flip_pairs'):
        pairs = asymmetric_bones(keypoints, parents,
                                 flip_permutation(layout), flat=flat)
    if not bones_fire and len(pairs) < _BAD_PAIRS:
        return None
    return dict(bones=bad if bones_fire else [], pairs=pairs)
