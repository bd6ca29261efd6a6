"""Left-right flip by swapping joint indices (SCD-Net, spec §3.4)."""
from typing import Dict, Union

import numpy as np

from mmaction.registry import TRANSFORMS
from ...skeleton.layouts import flip_permutation
from .checks import describe_layout
from .keypoint_transform import KeypointTransform


@TRANSFORMS.register_module()
class SwapLeftRight(KeypointTransform):
    """Swap every left joint with its right mirror (the layout's
    ``flip_pairs``); coordinates are not negated, as in SCD-Net.

    The swap maps the bone tree onto itself (checked by the layout), so
    bones computed after the swap are the swapped bones. Deterministic:
    wrap it in ``ProbabilityApply`` for a random flip.

    Required Keys:

        - keypoint (M, T, V, C)
        - keypoint_score (optional, (M, T, V), swapped alike)

    Modified Keys:

        - keypoint: a new array, same dtype
        - keypoint_score (optional)

    Args:
        layout (str | dict): The skeleton layout, with ``flip_pairs``.
            Follows the dataset's ``layout`` setting.
    """

    # filled from the dataset (cmd_plugin/datasets/data_settings.py)
    data_settings = dict(layout='layout')

    def __init__(self, layout: Union[str, dict]) -> None:
        try:
            self._swap = np.asarray(flip_permutation(layout), np.intp)
        except ValueError as error:
            raise ValueError(f'SwapLeftRight(layout=...): {error}') from None
        self.layout = layout

    checks_layout = True

    def apply(self, keypoint: np.ndarray, valid: int) -> np.ndarray:
        """The keypoints with left and right joints swapped."""
        return keypoint[:, :, self._swap]

    def transform(self, results: Dict) -> Dict:
        """Swap the left and right joints of the keypoints and, when the
        sample has them, of the scores."""
        results = super().transform(results)
        if 'keypoint_score' in results:
            results['keypoint_score'] = np.asarray(
                results['keypoint_score'])[:, :, self._swap]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}'
                f'(layout={describe_layout(self.layout)!r})')
