from .knn import FUSED, knn_search, knn_vote
from .subset import stratified_subset

__all__ = ['FUSED', 'knn_search', 'knn_vote', 'stratified_subset']
