"""1-nearest-neighbour accuracy of encoder features (cosine similarity)."""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from mmengine.evaluator import BaseMetric

from mmaction.registry import METRICS


def nearest_neighbour_labels(query: torch.Tensor, reference: torch.Tensor,
                             reference_labels: torch.Tensor,
                             chunk: int = 4096) -> torch.Tensor:
    """Label of each query's most cosine-similar reference row.

    Rows must already be L2-normalised; queries are processed in chunks so
    the similarity matrix never holds more than ``chunk`` rows.
    """
    best = torch.empty(len(query), dtype=torch.long)
    for start in range(0, len(query), chunk):
        sims = query[start:start + chunk] @ reference.T
        best[start:start + chunk] = sims.argmax(dim=1)
    return reference_labels[best]


@METRICS.register_module()
class KNNAccuracy(BaseMetric):
    """1-NN accuracy per feature stream and for the streams fused.

    Expects data samples tagged by :class:`KNNEvalDataset` (``knn_role``)
    that carry ``stream_features``: a dict ``{stream: 1-D tensor}`` (CMD's
    ``predict``) or a single tensor. Features are L2-normalised; the fused
    stream concatenates the normalised streams, so its cosine similarity is
    the mean of the streams' similarities.

    Args:
        fuse (bool): Also report the fused streams. Defaults to True.
        collect_device (str): 'cpu' or 'gpu' for gathering across ranks.
        prefix (str, optional): Metric name prefix. Defaults to 'knn'.
    """

    default_prefix = 'knn'

    def __init__(self,
                 fuse: bool = True,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.fuse = fuse

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            if 'knn_role' not in sample:
                raise KeyError(
                    'KNNAccuracy needs samples from KNNEvalDataset (they '
                    "carry 'knn_role'); wrap the evaluation splits as "
                    "dict(type='KNNEvalDataset', reference=..., query=...)")
            features = sample['stream_features']
            if not isinstance(features, dict):
                features = dict(feature=features)
            self.results.append(
                dict(role=sample['knn_role'],
                     label=int(sample['gt_label'].reshape(-1)[0]),
                     features={
                         k: v.detach().float().cpu().reshape(-1)
                         for k, v in features.items()
                     }))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        refs = [r for r in results if r['role'] == 'reference']
        queries = [r for r in results if r['role'] == 'query']
        if not refs or not queries:
            raise ValueError(
                f'kNN evaluation got {len(refs)} reference and '
                f'{len(queries)} query samples; both splits must be non-empty')
        ref_labels = torch.tensor([r['label'] for r in refs])
        query_labels = torch.tensor([r['label'] for r in queries])

        def stacked(rows, stream):
            return F.normalize(
                torch.stack([r['features'][stream] for r in rows]), dim=1)

        streams = list(refs[0]['features'])
        ref_feats = {s: stacked(refs, s) for s in streams}
        query_feats = {s: stacked(queries, s) for s in streams}
        if self.fuse and len(streams) > 1:
            ref_feats['fused'] = F.normalize(
                torch.cat([ref_feats[s] for s in streams], dim=1), dim=1)
            query_feats['fused'] = F.normalize(
                torch.cat([query_feats[s] for s in streams], dim=1), dim=1)
        metrics = {}
        for stream in ref_feats:
            predicted = nearest_neighbour_labels(query_feats[stream],
                                                 ref_feats[stream],
                                                 ref_labels)
            metrics[stream] = (predicted == query_labels).float().mean().item()
        return metrics
