from .knn_metric import KNNAccuracy, nearest_neighbour_labels

__all__ = ['KNNAccuracy', 'nearest_neighbour_labels']
