from .distill_pairs import resolve_distill_pairs
from .encoder import ProjectedEncoder
from .gather import concat_all_gather
from .pooling import global_pool
from .queues import AlignedQueues

__all__ = [
    'AlignedQueues', 'ProjectedEncoder', 'concat_all_gather', 'global_pool',
    'resolve_distill_pairs'
]
