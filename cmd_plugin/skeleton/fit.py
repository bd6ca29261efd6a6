"""Does a layout fit the data? True bones keep their length over frames.

The length of a real bone varies only by tracking noise, while the
distance between two joints that are not connected varies with every
movement in between. So a joint's declared parent should be among the
joints whose distance to it varies least; a layout with another joint
order fails that for many joints at once. (Relative variation is no good
test: short bones have a large one from noise alone.)
"""
from typing import List, Sequence, Tuple

import numpy as np

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
