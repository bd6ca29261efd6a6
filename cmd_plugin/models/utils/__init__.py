from .encoder import ProjectedEncoder
from .gather import concat_all_gather
from .modalities import MODALITIES, bone, joint, motion, to_modality
from .pooling import global_pool
from .queues import AlignedQueues

__all__ = [
    'AlignedQueues', 'MODALITIES', 'ProjectedEncoder', 'bone',
    'concat_all_gather', 'global_pool', 'joint', 'motion', 'to_modality'
]
