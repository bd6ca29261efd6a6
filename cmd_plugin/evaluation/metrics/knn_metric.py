"""k-nearest-neighbour accuracy of encoder features (cosine similarity)."""
from contextlib import contextmanager
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from mmengine.dist import get_world_size
from mmengine.evaluator import BaseMetric

from mmaction.registry import METRICS
from ..functional import (FUSED, RowSlabs, RowStreams, knn_search,
                          knn_vote)
from .knn_options import check_options, check_streams

REFERENCE = 'reference'


def nearest_neighbour_labels(query: torch.Tensor, reference: torch.Tensor,
                             reference_labels: torch.Tensor,
                             chunk: int = 4096) -> torch.Tensor:
    """Label of each query's most cosine-similar reference row (the lower
    index on equal similarity), queries taken ``chunk`` at a time."""
    best = torch.empty(len(query), dtype=torch.long)
    for start, found in knn_search(dict(f=query), dict(f=reference), 1,
                                   ['f'], query_chunk=chunk):
        best[start:start + chunk] = found['f'][1][:, 0]
    return reference_labels[best]


def _parse(layout: str) -> List[tuple]:
    """'joint:2048,bone:2048' -> [('joint', 2048), ('bone', 2048)]."""
    pairs = (item.rsplit(':', 1) for item in layout.split(','))
    return [(name, int(dim)) for name, dim in pairs]


@contextmanager
def _one_thread():
    # A batch's rows are small tensors: threads only add their start-up,
    # which on oversubscribed cores cost 10x (docs/benchmarks.md).
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _unit_rows(feats: List[dict], layout: List[tuple]) -> torch.Tensor:
    """(batch, sum of dims) float32: each stream L2-normalised."""
    if len({d for _, d in layout}) > 1:
        return torch.cat([
            F.normalize(torch.stack([f[s].detach().reshape(-1).float()
                                     for f in feats]).cpu(), dim=1)
            for s, _ in layout], dim=1)
    # equal dims: (batch, streams, dim) in a few large ops, as each
    # parallel op pays its thread start-up (slow on busy cores)
    batch = torch.stack([
        torch.stack([f[s].detach().reshape(-1) for f in feats])
        for s, _ in layout], dim=1).to(device='cpu', dtype=torch.float32)
    norms = torch.linalg.vector_norm(batch, dim=2, keepdim=True)
    return batch.div_(norms.clamp_(min=1e-12)).reshape(len(feats), -1)


@METRICS.register_module()
class KNNAccuracy(BaseMetric):
    """kNN accuracy per feature stream and for the streams fused.

    Expects data samples tagged by :class:`KNNEvalDataset` (``knn_role``)
    that carry ``stream_features``: a dict ``{stream: 1-D tensor}`` (CMD's
    ``predict``) or a single tensor. Features are compared by cosine
    similarity; the fused stream's similarity is the mean of the streams'
    (the cosine of the concatenated normalised streams).

    The default, ``k=1``, is the paper's 1-NN protocol. ``k > 1`` is the
    weighted kNN of InstDisc / DINO: each of the ``k`` nearest references
    votes ``exp(sim / temperature)`` for its class (``weighting='exp'``) or
    1 (``'uniform'``). Neighbours with equal similarity rank by reference
    order, equal votes go to the lower class. ``k`` above the reference
    count uses every reference.

    Memory: each sample is kept as one L2-normalised ``feature_dtype`` row
    (float16: 2 bytes per dimension; NTU-120 xsub with three 2048-d
    streams, 1.3 GiB); the search stacks and upcasts one ``chunk_size x
    reference_chunk_size`` block at a time, and on a GPU copies the
    reference there once, block by block (see docs/benchmarks.md). float16
    rows move cosines by ~1e-3, which can flip a near-tie neighbour;
    ``feature_dtype='float32'`` keeps them exact at twice the memory.

    Args:
        fuse (bool): Also report the fused streams. Defaults to True.
        k (int): Neighbours that vote. Defaults to 1.
        temperature (float): T of the exp weighting. Defaults to 0.07.
        weighting (str): 'exp' or 'uniform'. Defaults to 'exp'.
        streams (list[str], optional): Streams to report, names the model
            emits and/or 'fused' (all emitted streams fused). None: every
            stream, and 'fused' when ``fuse`` and there are several.
        device (str, optional): Where the search runs; None: 'cuda' when
            available, else 'cpu'.
        chunk_size (int): Queries per block. Defaults to 1024.
        reference_chunk_size (int): References per block. Defaults to
            4096.
        feature_dtype (str): 'float16' or 'float32', how features are
            kept until the search. Defaults to 'float16'.
        collect_device (str): 'cpu' or 'gpu' for gathering across ranks.
        prefix (str, optional): Metric name prefix. Defaults to 'knn'.
    """

    default_prefix = 'knn'

    def __init__(self,
                 fuse: bool = True,
                 k: int = 1,
                 temperature: float = 0.07,
                 weighting: str = 'exp',
                 streams: Optional[Sequence[str]] = None,
                 device: Optional[str] = None,
                 chunk_size: int = 1024,
                 reference_chunk_size: int = 4096,
                 feature_dtype: str = 'float16',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        check_options(fuse=fuse, k=k, temperature=temperature,
                      weighting=weighting, streams=streams,
                      chunk_size=chunk_size,
                      reference_chunk_size=reference_chunk_size,
                      feature_dtype=feature_dtype)
        self.fuse = fuse
        self.k = k
        self.temperature = float(temperature)
        self.weighting = weighting
        self.streams = None if streams is None else list(streams)
        self.device = device
        self.chunk_size = chunk_size
        self.reference_chunk_size = reference_chunk_size
        self.feature_dtype = getattr(torch, feature_dtype)
        self._layout = None
        self._slabs = RowSlabs()

    def _plan(self, emitted: List[str]) -> tuple:
        """(reported streams, streams averaged into 'fused')."""
        report = check_streams(self.streams, emitted, self.fuse)
        fused = emitted if FUSED in report else []
        return report, fused

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        if not data_samples:
            return
        for sample in data_samples:
            if 'knn_role' not in sample:
                raise KeyError(
                    'KNNAccuracy needs samples from KNNEvalDataset (they '
                    "carry 'knn_role'); wrap the evaluation splits as "
                    "dict(type='KNNEvalDataset', reference=..., query=...)")
        feats = [s['stream_features'] for s in data_samples]
        feats = [f if isinstance(f, dict) else dict(feature=f) for f in feats]
        if self._layout is None:
            emitted = list(feats[0])
            report, fused = self._plan(emitted)
            kept = [s for s in emitted if s in report or s in fused]
            # one shared str per sample, which _to_cpu and pickle keep
            self._layout = ','.join(
                f'{s}:{feats[0][s].numel()}' for s in kept)
        layout = _parse(self._layout)
        with _one_thread():
            batch = _unit_rows(feats, layout)
            # Across ranks each row owns its storage: pickling a view
            # writes its whole base. In one process rows are views of a few
            # slabs, as small rows allocated between the batch's large
            # temporaries fragment the heap (docs/benchmarks.md).
            if get_world_size() > 1:
                rows = list(batch.to(self.feature_dtype))
                rows = [row.clone() for row in rows]
            else:
                rows = self._slabs.store(batch, self.feature_dtype)
        for sample, row in zip(data_samples, rows):
            self.results.append(
                dict(reference=sample['knn_role'] == REFERENCE,
                     label=int(sample['gt_label'].reshape(-1)[0]),
                     layout=self._layout,
                     feature=row))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Accuracy per stream. Empties ``results`` (and ``self.results``)
        so that nothing but the rows stays alive during the search."""
        if results is not self.results:
            self.results.clear()  # rank 0's own copies of gathered rows
        self._slabs = RowSlabs()  # the rows keep their slabs alive
        is_ref = torch.tensor([r['reference'] for r in results],
                              dtype=torch.bool)
        num_ref = int(is_ref.sum())
        if num_ref == 0 or num_ref == len(results):
            raise ValueError(
                f'kNN evaluation got {num_ref} reference and '
                f'{len(results) - num_ref} query samples; both splits must '
                'be non-empty')
        labels = torch.tensor([r['label'] for r in results])
        layout = _parse(results[0]['layout'])
        emitted = [s for s, _ in layout]
        report, fused = self._plan(emitted)
        ref, query = self._rows(results, is_ref, layout)
        ref_labels, query_labels = labels[is_ref], labels[~is_ref]
        num_classes = int(labels.max()) + 1
        device = self._device()
        if device.type != 'cpu':  # the search reads the reference per chunk
            ref = ref.to_device(device, self.reference_chunk_size)
        ref_labels = ref_labels.to(device)
        correct = dict.fromkeys(report, 0)
        for start, found in knn_search(
                query, ref, self.k, report, fused, self.chunk_size,
                self.reference_chunk_size, device):
            truth = query_labels[start:start + self.chunk_size].to(device)
            for s, (sims, idx) in found.items():
                predicted = knn_vote(sims, idx, ref_labels, num_classes,
                                     self.temperature, self.weighting)
                correct[s] += int((predicted == truth).sum())
        return {s: correct[s] / len(query_labels) for s in report}

    def _device(self) -> torch.device:
        if self.device is not None:
            return torch.device(self.device)
        return torch.device('cuda' if torch.cuda.is_available() else 'cpu')

    @staticmethod
    def _rows(results: List[dict], is_ref: torch.Tensor,
              layout: List[tuple]) -> tuple:
        """Reference and query rows, emptying ``results``."""
        rows = {True: [], False: []}
        for i, role in enumerate(is_ref.tolist()):
            rows[role].append(results[i]['feature'])
            results[i] = None
        results.clear()
        return RowStreams(rows[True], layout), RowStreams(rows[False], layout)
