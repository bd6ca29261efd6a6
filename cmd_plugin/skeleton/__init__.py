"""The skeleton vocabulary: layouts, their graph, the modalities and
whether a layout fits the data.

Below both ``datasets/`` and ``models/``: it imports neither, so a
transform and a model read a layout, a bone or a motion the same way.
"""
from .layouts import (COCO_17, LAYOUTS, NTU_RGBD_25, NW_UCLA_20, SBU_15,
                      as_definition, bone_parents, coordinate_dims,
                      flip_permutation, get_layout, layout_label,
                      layout_name, register_layout, same_layout)
from .modalities import MODALITIES, to_modality

__all__ = [
    'COCO_17', 'LAYOUTS', 'MODALITIES', 'NTU_RGBD_25', 'NW_UCLA_20',
    'SBU_15', 'as_definition', 'bone_parents', 'coordinate_dims',
    'flip_permutation', 'get_layout',
    'layout_label', 'layout_name', 'register_layout', 'same_layout',
    'to_modality'
]
