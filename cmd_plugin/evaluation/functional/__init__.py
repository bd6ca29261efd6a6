from .knn import FUSED, knn_search, knn_vote
from .stream_rows import RowSlabs, RowStreams, StackedStreams

__all__ = [
    'FUSED', 'RowSlabs', 'RowStreams', 'StackedStreams', 'knn_search',
    'knn_vote'
]
