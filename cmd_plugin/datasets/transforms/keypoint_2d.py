"""2-D keypoints (x, y in pixels, plus a confidence score) into the
pipeline, the way MMAction2's 2-D ST-GCN pipeline takes them.

MMAction2 scales the pixels by the image size (``PreNormalize2D``) and
appends ``keypoint_score`` as a third channel (``GenSkeFeat``) before
anything else; these two do the same, with the checks the rest of the
plugin has: a sample without ``img_shape`` is refused rather than scaled
by a default 1080p frame, missing joints stay 0, and the number of
coordinate channels is recorded (``coord_dims``) so the geometric
augmentations after them leave the score alone.
"""
from typing import Dict, Optional, Sequence

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from .checks import _where, check_keypoint


def _image_size(value, transform: str, where: str) -> tuple:
    try:
        height, width = (float(v) for v in value)
    except (TypeError, ValueError):
        height = width = None
    if height is None or not (height > 0 and width > 0):
        raise ValueError(
            f'{transform}: img_shape={value!r}{where} is not (height, width) '
            'in pixels; MMAction2\'s 2-D pickles give it per sample')
    return height, width


@TRANSFORMS.register_module()
class PreNormalizeImage2D(BaseTransform):
    """Scale 2-D pixel keypoints into [-1, 1] by the image size.

    As MMAction2's ``PreNormalize2D``: with ``(h, w) = img_shape``,
    ``x' = (x - w/2) / (w/2)`` and ``y' = (y - h/2) / (h/2)``, so the image
    centre is the origin and the frame's edges are +-1 (points outside the
    frame, which annotations have, stay outside). It takes the place of
    the 3-D normalisation's alignment (``PreNormalize2sAGCN``): a 2-D view
    has no depth to turn towards the camera, so nothing is rotated or
    centred on a joint. Two differences from MMAction2's: a joint at
    exactly (0, 0) -- how the pickles write a missing joint or person --
    stays 0 (MMAction2 moves it to the corner (-1, -1)), the plugin's
    "absent" value that padding and masking also use; and a sample
    without ``img_shape`` is refused unless ``img_shape`` is given here,
    instead of being scaled as a 1080x1920 frame.

    Required Keys:

        - keypoint (M, T, V, 2), or (M, T, V, 3) after
          ``AppendKeypointScore`` (the score is not scaled)
        - img_shape (h, w) (optional when ``img_shape`` is given)

    Modified Keys:

        - keypoint: float32 (a new array)

    Args:
        img_shape (tuple[int, int], optional): (height, width) for samples
            that do not carry their own. Defaults to None: every sample
            must.
    """

    def __init__(self, img_shape: Optional[Sequence[int]] = None) -> None:
        if img_shape is not None:
            _image_size(img_shape, 'PreNormalizeImage2D', '')
        self.img_shape = None if img_shape is None else tuple(img_shape)

    def transform(self, results: Dict) -> Dict:
        """Scale ``results['keypoint']``'s x and y by the image size."""
        name = type(self).__name__
        keypoint, _ = check_keypoint(results, name)
        where = _where(results)
        dims = results.get('coord_dims', keypoint.shape[-1])
        if dims != 2:
            raise ValueError(
                f'{name}: scales 2-D image keypoints (x, y) by the image '
                f'size, but the sample has {dims} coordinates per joint '
                f'(keypoint C={keypoint.shape[-1]}){where}. For 3-D '
                'skeletons use PreNormalize2sAGCN.')
        shape = results.get('img_shape', self.img_shape)
        if shape is None:
            raise ValueError(
                f'{name}: the sample has no img_shape{where}; 2-D '
                'pickles give each annotation its (height, width). Add it '
                'in the converter, or give PreNormalizeImage2D('
                'img_shape=(height, width)) when every clip has one size.')
        height, width = _image_size(shape, name, where)
        out = keypoint.astype(np.float32, copy=True)
        missing = ~np.any(keypoint[..., :2] != 0, axis=-1)
        half = np.array([width / 2, height / 2], np.float32)
        out[..., :2] = (out[..., :2] - half) / half
        out[..., :2][missing] = 0
        results['keypoint'] = out
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(img_shape={self.img_shape})'


@TRANSFORMS.register_module()
class AppendKeypointScore(BaseTransform):
    """Append ``keypoint_score`` to the coordinates: (x, y) -> (x, y, score).

    Exactly MMAction2's ``GenSkeFeat`` concatenation
    (``concatenate([keypoint, keypoint_score[..., None]], -1)``), at the
    same place in the pipeline: right after the normalisation, before
    cropping and augmentation. It also records ``coord_dims`` (the
    channels before the score), which the geometric augmentations
    (rotation, shear, corruption) read to map only the coordinates, and
    ``ToModality``/CMD's streams to average the score rather than
    difference it (:mod:`cmd_plugin.skeleton.modalities`). The encoders'
    ``in_channels`` follow the pickle (coordinates + 1 when it has
    scores; ``cmd_plugin/datasets/data_record.py``).

    Required Keys:

        - keypoint (M, T, V, C)
        - keypoint_score (M, T, V)

    Modified Keys:

        - keypoint: (M, T, V, C + 1) float32

    Removed Keys:

        - keypoint_score

    Added Keys:

        - coord_dims: C
    """

    def transform(self, results: Dict) -> Dict:
        """Append the score channel."""
        name = type(self).__name__
        keypoint, _ = check_keypoint(results, name)
        where = _where(results)
        if 'keypoint_score' not in results:
            raise ValueError(
                f'{name}: the sample has no keypoint_score{where}. 2-D '
                'pickles (MMAction2, MMPose) carry one, (M, T, V); for data '
                'without scores drop this step.')
        if results.get('coord_dims', keypoint.shape[-1]) != keypoint.shape[-1]:
            raise ValueError(
                f'{name}: the keypoint already holds a score after its '
                f'{results["coord_dims"]} coordinates{where}; keep one '
                'score step (AppendKeypointScore or GenSkeFeat) in the '
                'pipeline.')
        score = np.asarray(results['keypoint_score'])
        if score.shape != keypoint.shape[:-1]:
            raise ValueError(
                f'{name}: keypoint_score has shape {score.shape} but '
                f'keypoint {keypoint.shape}{where}; the score needs one value '
                'per person, frame and joint (M, T, V). Check the converter.')
        if not np.isfinite(score).all():
            raise ValueError(f'{name}: keypoint_score contains NaN or '
                             f'inf{where}; a missing joint scores 0')
        results['keypoint'] = np.concatenate(
            [keypoint, score[..., None]], axis=-1).astype(np.float32)
        results['coord_dims'] = int(keypoint.shape[-1])
        del results['keypoint_score']
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}()'
