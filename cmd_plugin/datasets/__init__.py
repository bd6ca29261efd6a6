from . import transforms  # noqa: F401
from .knn_eval_dataset import KNNEvalDataset
from .layouts import (LAYOUTS, NTU_RGBD_25, NW_UCLA_20, bone_parents,
                      get_layout)

__all__ = [
    'KNNEvalDataset', 'LAYOUTS', 'NTU_RGBD_25', 'NW_UCLA_20', 'bone_parents',
    'get_layout'
]
