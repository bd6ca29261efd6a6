from .knn import FUSED, knn_search, knn_vote
from .stream_rows import RowSlabs, RowStreams, StackedStreams
from .subset import stratified_subset

__all__ = [
    'FUSED', 'RowSlabs', 'RowStreams', 'StackedStreams', 'knn_search',
    'knn_vote', 'stratified_subset'
]
