"""The shared frame of the transforms that rewrite the keypoint array."""
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from .checks import check_keypoint, check_num_joints, coordinate_channels


class KeypointTransform(BaseTransform):
    """Base of a transform of ``results['keypoint']`` (M, T, V, C) alone.

    :meth:`transform` validates the array once for every such transform
    (:func:`check_keypoint`; the layout's joint count when
    ``checks_layout``, from ``self.layout``), passes it with its valid
    length T_v to :meth:`apply` and stores the array that returns.
    ``apply`` returns a new array: the input may be shared with the other
    view or with the dataset.

    A ``geometric`` transform (rotation, shear, mixing) is handed the
    number of coordinate channels as well (:meth:`apply_coords`; 2 for
    (x, y) image keypoints, 3 for (x, y, z)), so it maps those and leaves a
    keypoint score after them as it is. A transform that ``zeroes_joints``
    (masking, corruption) marks what it zeroed as missing: a separate
    ``keypoint_score`` gets 0 wherever every channel of a joint became 0,
    the score a missing joint has in MMAction2's 2-D pickles.
    """
    checks_layout = False
    geometric = False
    zeroes_joints = False

    def apply(self, keypoint: np.ndarray, valid: int) -> np.ndarray:
        """The new (M, T, V, C) array of ``keypoint``, whose first
        ``valid`` frames are data and the rest padding."""
        raise NotImplementedError

    def apply_coords(self, keypoint: np.ndarray, valid: int,
                     coord_dims: int) -> np.ndarray:
        """:meth:`apply` of a geometric transform: the first
        ``coord_dims`` channels are coordinates, any after them a score
        to keep."""
        raise NotImplementedError

    def transform(self, results: Dict) -> Dict:
        """Replace ``results['keypoint']`` by :meth:`apply`'s array."""
        name = type(self).__name__
        keypoint, valid = check_keypoint(results, name)
        if self.checks_layout:
            check_num_joints(results, keypoint, self.layout, name)
        if self.geometric:
            dims = coordinate_channels(results, keypoint, name)
            out = self.apply_coords(keypoint, valid, dims)
        else:
            out = self.apply(keypoint, valid)
        results['keypoint'] = out
        if self.zeroes_joints and 'keypoint_score' in results:
            missing = ~np.any(out != 0, axis=-1)
            results['keypoint_score'] = np.where(
                missing, 0, results['keypoint_score']).astype(
                    np.asarray(results['keypoint_score']).dtype)
        return results
