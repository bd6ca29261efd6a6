from .distill_pairs import resolve_distill_pairs
from .encoder import ProjectedEncoder
from .gather import concat_all_gather
from .modalities import (MODALITIES, bone, check_modalities, joint, motion,
                         to_modality)
from .pooling import global_pool
from .queues import AlignedQueues

__all__ = [
    'AlignedQueues', 'MODALITIES', 'ProjectedEncoder', 'bone',
    'check_modalities', 'concat_all_gather', 'global_pool', 'joint', 'motion',
    'resolve_distill_pairs', 'to_modality'
]
