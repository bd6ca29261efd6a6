"""The shared frame of the transforms that rewrite the keypoint array."""
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from .checks import check_keypoint, check_num_joints


class KeypointTransform(BaseTransform):
    """Base of a transform of ``results['keypoint']`` (M, T, V, C) alone.

    :meth:`transform` validates the array once for every such transform
    (:func:`check_keypoint`; C = 3 when ``require_xyz``; the layout's joint
    count when ``checks_layout``, from ``self.layout``), passes it with its
    valid length T_v to :meth:`apply` and stores the array that returns.
    ``apply`` returns a new array: the input may be shared with the other
    view or with the dataset.
    """
    require_xyz = False
    checks_layout = False

    def apply(self, keypoint: np.ndarray, valid: int) -> np.ndarray:
        """The new (M, T, V, C) array of ``keypoint``, whose first
        ``valid`` frames are data and the rest padding."""
        raise NotImplementedError

    def transform(self, results: Dict) -> Dict:
        """Replace ``results['keypoint']`` by :meth:`apply`'s array."""
        name = type(self).__name__
        keypoint, valid = check_keypoint(results, name,
                                         require_xyz=self.require_xyz)
        if self.checks_layout:
            check_num_joints(results, keypoint, self.layout, name)
        results['keypoint'] = self.apply(keypoint, valid)
        return results
