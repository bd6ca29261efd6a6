"""Joint / motion / bone conversion as a pipeline step (SCD-Net, §3.2).

CMD derives its modalities inside the model; SCD-Net converts the input
before the spatial augmentations. Both use
:func:`cmd_plugin.skeleton.modalities.to_modality`, so the two can
never disagree on what "motion" or "bone" means.
"""
from typing import Union

import numpy as np
import torch

from mmaction.registry import TRANSFORMS
from ...skeleton.modalities import MODALITIES, to_modality
from ...skeleton.layouts import bone_parents, coordinate_dims
from .checks import describe_layout
from .keypoint_transform import KeypointTransform


@TRANSFORMS.register_module()
class ToModality(KeypointTransform):
    """Replace ``keypoint`` by its joint, motion or bone stream.

    Only the ``T_v = total_frames`` valid frames are converted; padding
    frames stay zero, so the last valid frame's motion is zero rather than
    a jump to the padding. A keypoint score after the layout's coordinates
    (2-D layouts, put there by ``AppendKeypointScore``) is averaged, not
    differenced, as CMD's in-model streams do.

    Required Keys:

        - keypoint (M, T, V, C)
        - total_frames (optional, defaults to T)

    Modified Keys:

        - keypoint: float32 (a new array, except for 'joint')

    Args:
        modality (str): 'joint', 'motion' or 'bone'.
        layout (str | dict): The skeleton layout (bone parents). Follows
            the dataset's ``layout`` setting.
    """

    # filled from the dataset (cmd_plugin/datasets/data_settings.py)
    data_settings = dict(layout='layout')

    def __init__(self,
                 modality: str,
                 layout: Union[str, dict]) -> None:
        if modality not in MODALITIES:
            raise ValueError(f'ToModality: unknown modality={modality!r}; '
                             f'use one of {MODALITIES}')
        self.modality = modality
        self.layout = layout
        self._parents = bone_parents(layout)
        self._coord_dims = coordinate_dims(layout)

    checks_layout = True

    def apply(self, keypoint: np.ndarray, valid: int) -> np.ndarray:
        """The keypoints converted to the modality (padding stays 0)."""
        keypoint = keypoint.astype(np.float32, copy=False)
        if self.modality == 'joint':
            return keypoint
        out = np.zeros_like(keypoint)
        # (M, T_v, V, C): to_modality takes (..., T, V, C).
        source = torch.from_numpy(np.ascontiguousarray(keypoint[:, :valid]))
        out[:, :valid] = to_modality(source, self.modality, self._parents,
                                     self._coord_dims).numpy()
        return out

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(modality={self.modality!r}, '
                f'layout={describe_layout(self.layout)!r})')
