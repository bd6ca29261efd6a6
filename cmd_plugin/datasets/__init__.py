from . import transforms  # noqa: F401
from .knn_eval_dataset import KNNEvalDataset
from .skeleton_dataset import DataSettingsWarning, SkeletonDataset
from ..skeleton.layouts import (LAYOUTS, NTU_RGBD_25, NW_UCLA_20, bone_parents,
                      get_layout, register_layout)

__all__ = ['DataSettingsWarning', 'KNNEvalDataset', 'SkeletonDataset']
