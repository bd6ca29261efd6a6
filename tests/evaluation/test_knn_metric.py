import pytest
import torch
from mmengine.structures import LabelData  # noqa: F401  (mmengine import)

from cmd_plugin.evaluation.metrics import (KNNAccuracy,
                                           nearest_neighbour_labels)


def _sample(role, label, **features):
    return dict(knn_role=role, gt_label=torch.tensor([label]),
                stream_features={k: torch.tensor(v, dtype=torch.float32)
                          for k, v in features.items()})


def test_nearest_neighbour_is_cosine_not_euclidean():
    ref = torch.nn.functional.normalize(
        torch.tensor([[1.0, 0.0], [0.0, 1.0]]), dim=1)
    query = torch.nn.functional.normalize(torch.tensor([[10.0, 1.0]]), dim=1)
    assert nearest_neighbour_labels(query, ref, torch.tensor([3, 7]),
                                    chunk=1).tolist() == [3]


def test_per_stream_and_fused_accuracy():
    metric = KNNAccuracy()
    # joint separates the classes, motion points the wrong way
    metric.process(None, [
        _sample('reference', 0, joint=[1, 0], motion=[0, 1]),
        _sample('reference', 1, joint=[0, 1], motion=[1, 0]),
        _sample('query', 0, joint=[0.9, 0.1], motion=[0.9, 0.2]),
        _sample('query', 1, joint=[0.2, 0.9], motion=[0.2, 0.8]),
    ])
    results = metric.compute_metrics(metric.results)
    assert results['joint'] == 1.0
    assert results['motion'] == 0.0
    assert set(results) == {'joint', 'motion', 'fused'}


def test_fused_is_mean_of_cosines():
    metric = KNNAccuracy()
    # joint says class 0 weakly, motion says class 1 strongly -> fused 1
    metric.process(None, [
        _sample('reference', 0, joint=[1, 0], motion=[1, 0]),
        _sample('reference', 1, joint=[0.7, 0.71], motion=[0, 1]),
        _sample('query', 1, joint=[1, 0.05], motion=[0.05, 1]),
    ])
    results = metric.compute_metrics(metric.results)
    assert results['joint'] == 0.0 and results['fused'] == 1.0


def test_errors_name_the_fix():
    metric = KNNAccuracy()
    with pytest.raises(KeyError, match='KNNEvalDataset'):
        metric.process(None, [dict(gt_label=torch.tensor([0]),
                                   stream_features=torch.zeros(2))])
    metric.process(None, [_sample('query', 0, joint=[1, 0])])
    with pytest.raises(ValueError, match='0 reference'):
        metric.compute_metrics(metric.results)
