"""The 2s-AGCN skeleton normalisation used by CMD (docs/cmd.md §6).

MMAction2's ``PreNormalize3D`` is a different normalisation: it centres on
frame 0 only (global translation stays in the signal) and drops empty frames,
changing ``total_frames``. Reproducing CMD's numbers needs this one.
"""
from typing import Dict, Union

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from ...skeleton.layouts import coordinate_dims, get_layout
from .checks import check_keypoint

_ALIGN_JOINTS = ('hip', 'spine', 'left_shoulder', 'right_shoulder')


def pad_null_frames(person: np.ndarray) -> np.ndarray:
    """Fill a person's empty frames by repeating its valid clip.

    As in the published preprocessing: when the first frame is empty, the
    non-empty frames are first moved to the front (closing every gap); then
    the all-empty tail is filled by cycling through the frames before it.
    An all-zero person is returned unchanged.

    Args:
        person (np.ndarray): (T, V, C).

    Returns:
        np.ndarray: (T, V, C), a new array.
    """
    present = (person != 0).any(axis=(1, 2))
    if not present.any():
        return person.copy()
    if not present[0]:
        valid = person[present]
        person = np.zeros_like(person)
        person[:len(valid)] = valid
        present = np.zeros(len(person), dtype=bool)
        present[:len(valid)] = True
    else:
        person = person.copy()
    end = int(np.flatnonzero(present)[-1]) + 1
    rest = len(person) - end
    if rest:
        repeats = -(-rest // end)
        person[end:] = np.concatenate([person[:end]] * repeats)[:rest]
    return person


def rotation_between(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The smallest rotation taking direction ``source`` to ``target``.

    Rodrigues' formula about ``source x target``. A zero ``source`` (e.g. an
    absent joint) gives the identity; an exactly opposite one a half turn
    about an axis perpendicular to ``target``, where the published code
    would silently leave it flipped.

    Args:
        source (np.ndarray): (3,) vector.
        target (np.ndarray): (3,) unit vector.

    Returns:
        np.ndarray: (3, 3) rotation matrix.
    """
    norm = np.linalg.norm(source)
    if norm < 1e-12:
        return np.eye(3)
    source = source / norm
    axis = np.cross(source, target)
    sin, cos = np.linalg.norm(axis), float(np.dot(source, target))
    if sin < 1e-12:
        if cos > 0:
            return np.eye(3)
        # Any axis perpendicular to target works. For target +x this picks
        # z, so the second alignment step keeps the spine on +z.
        helper = np.eye(3)[np.argmin(np.abs(target))]
        axis = np.cross(target, helper)
        axis /= np.linalg.norm(axis)
        return 2 * np.outer(axis, axis) - np.eye(3)
    axis /= sin
    skew = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]],
                     [-axis[1], axis[0], 0]])
    return np.eye(3) + sin * skew + (1 - cos) * skew @ skew


@TRANSFORMS.register_module()
class PreNormalize2sAGCN(BaseTransform):
    """Normalise a 3-D skeleton sequence the 2s-AGCN way (as CMD does).

    1. Pad empty frames of each person by repeating its valid clip
       (:func:`pad_null_frames`); all-zero persons stay zero.
    2. Per frame, subtract person 0's ``spine`` joint (NTU: spine-mid,
       1-based joint 2) from every non-zero joint of every person.
    3. Rotate everything so person 0's frame-0 ``hip -> spine`` bone points
       along +z, then rotate again so its frame-0 shoulder vector
       ``right_shoulder - left_shoulder`` points along +x (the published
       code lists it as ``xaxis=[8, 4]``, right shoulder first). The second
       rotation is not constrained to keep the spine on +z: it moves the
       spine off +z when the shoulders are not perpendicular to it, exactly
       as in the published preprocessing.

    Missing joints (exactly 0) stay 0, and no frame is dropped, so
    ``total_frames`` keeps its meaning.

    Required Keys:

        - keypoint (M, T, V, 3)
        - total_frames (optional; only checked)

    Modified Keys:

        - keypoint: float32

    Args:
        layout (str | dict): ``'nturgb+d'``, ``'nw-ucla'`` or a layout dict
            (see ``cmd_plugin/skeleton/layouts.py``) giving 0-based ``hip``,
            ``spine``, ``left_shoulder`` and ``right_shoulder`` indices.
            Defaults to ``'nturgb+d'``.
        pad_null_frames (bool): Whether to do step 1. Defaults to True.
    """

    # filled from the dataset (cmd_plugin/datasets/data_settings.py)
    data_settings = dict(layout='layout')

    def __init__(self,
                 layout: Union[str, dict],
                 pad_null_frames: bool = True) -> None:
        resolved = get_layout(layout)
        if coordinate_dims(resolved) != 3:
            raise ValueError(
                f'PreNormalize2sAGCN: layout {resolved.get("name") or ""!r} '
                'has 2-D (x, y) keypoints; this normalisation turns a 3-D '
                'skeleton towards the camera and needs depth. Start the '
                "pipeline with dict(type='PreNormalizeSkeleton'), which "
                'takes this for 3-D layouts and PreNormalizeImage2D + '
                'AppendKeypointScore (MMAction2\'s PreNormalize2D + '
                'GenSkeFeat) for 2-D ones.')
        missing = [k for k in _ALIGN_JOINTS if k not in resolved]
        if missing:
            raise ValueError(
                f'PreNormalize2sAGCN: layout lacks {missing}; give the '
                '0-based hip, spine, left_shoulder and right_shoulder '
                'joints in the layout dict')
        self.layout = layout
        self.num_node = int(resolved['num_node'])
        self.joints = {k: int(resolved[k]) for k in _ALIGN_JOINTS}
        bad = {
            k: v
            for k, v in self.joints.items() if not 0 <= v < self.num_node
        }
        if bad:
            raise ValueError(f'PreNormalize2sAGCN: joints {bad} out of range '
                             f'for {self.num_node} joints')
        self.pad_null_frames = pad_null_frames

    def transform(self, results: Dict) -> Dict:
        """Normalise ``results['keypoint']``.

        Args:
            results (dict): The sample.

        Returns:
            dict: The sample with a new float32 keypoint array.

        Raises:
            ValueError: Keypoint missing, not (M, T, V, 3), NaN/inf, or V
                does not match the layout.
        """
        keypoint, _ = check_keypoint(
            results, 'PreNormalize2sAGCN', require_xyz=True)
        if keypoint.shape[2] != self.num_node:
            name = results.get('frame_dir')
            raise ValueError(
                f'PreNormalize2sAGCN: keypoint has V={keypoint.shape[2]} '
                f'joints but layout {self._layout_name()!r} has '
                f'{self.num_node}' + (f' (sample {name!r})' if name else '') +
                '; set `layout` to match the data')
        # float64: the inputs are float16 and errors compound over frames.
        keypoint = keypoint.astype(np.float64)
        if self.pad_null_frames:
            keypoint = np.stack([pad_null_frames(p) for p in keypoint])
        present = (keypoint != 0).any(axis=-1, keepdims=True)
        center = keypoint[0, :, self.joints['spine']]
        keypoint = (keypoint - center[None, :, None]) * present

        first = keypoint[0, 0]
        to_z = rotation_between(
            first[self.joints['spine']] - first[self.joints['hip']],
            np.array([0., 0., 1.]))
        first = first @ to_z.T
        to_x = rotation_between(
            first[self.joints['right_shoulder']] -
            first[self.joints['left_shoulder']], np.array([1., 0., 0.]))
        # Row vectors: x' = x R^T; zero joints stay zero under rotation.
        keypoint = keypoint @ (to_x @ to_z).T
        results['keypoint'] = keypoint.astype(np.float32)
        return results

    def _layout_name(self) -> str:
        if isinstance(self.layout, str):
            return self.layout
        return self.layout.get('name', f'{self.num_node}-joint dict')

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(layout={self._layout_name()!r}, '
                f'pad_null_frames={self.pad_null_frames})')
