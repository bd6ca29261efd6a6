"""Chunked cosine k-nearest-neighbour search over feature streams.

Neighbours are ranked by cosine similarity, higher first, and equal
similarities by reference index, lower first, so results do not depend on
the chunk sizes, the device or the order ``torch.topk`` happens to return
ties in. The fused stream's similarity is the mean of the streams' cosine
similarities -- the cosine of the concatenated L2-normalised streams -- so
it is summed block by block and no concatenated matrix is ever built.
"""
from typing import Dict, Iterator, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import Tensor

from .stream_rows import RowStreams, StackedStreams, as_streams

FUSED = 'fused'
Neighbours = Tuple[Tensor, Tensor]  # (similarities, indices), (q, k) each


def _unit_rows(rows: Tensor, device: torch.device) -> Tensor:
    # Stored rows may be float16; renormalising after the upcast makes the
    # similarity a true cosine of the stored direction. In place when the
    # upcast copied: one block-sized buffer, not two.
    out = rows.to(device=device, dtype=torch.float32)
    if out.data_ptr() == rows.data_ptr():
        return F.normalize(out, dim=1)
    norms = torch.linalg.vector_norm(out, dim=1, keepdim=True)
    return out.div_(norms.clamp_(min=1e-12))


def block_topk(sims: Tensor, k: int) -> Neighbours:
    """Top-``k`` columns of each row of ``sims``, in column order.

    Ties at the k-th value are resolved towards the lower column, which
    ``torch.topk`` does not promise.
    """
    k = min(k, sims.shape[1])
    if k == 1:  # max returns the first maximal column
        vals, idx = sims.max(dim=1, keepdim=True)
        return vals, idx
    vals, idx = sims.topk(k, dim=1)
    kth = vals[:, -1:]
    if bool(((sims >= kth).sum(dim=1) > k).any()):
        above = sims > kth
        ties = sims == kth
        need = k - above.sum(dim=1, keepdim=True)
        keep = above | (ties & (ties.cumsum(dim=1) <= need))
        idx = keep.nonzero()[:, 1].view(-1, k)
    else:
        idx = idx.sort(dim=1).values
    return sims.gather(1, idx), idx


def merge_topk(best: Optional[Neighbours], new: Neighbours,
               k: int) -> Neighbours:
    """Best ``k`` of two candidate sets; ``best`` holds the lower indices.

    A stable sort keeps, among equal similarities, ``best`` before ``new``
    and each set's column order, so the lower index wins.
    """
    if best is not None:
        new = (torch.cat([best[0], new[0]], dim=1),
               torch.cat([best[1], new[1]], dim=1))
    order = new[0].sort(dim=1, descending=True, stable=True).indices
    order = order[:, :k]
    return new[0].gather(1, order), new[1].gather(1, order)


Features = Union[Dict[str, Tensor], RowStreams, StackedStreams]


def knn_search(query: Features,
               reference: Features,
               k: int,
               streams: Sequence[str],
               fused: Sequence[str] = (),
               query_chunk: int = 1024,
               reference_chunk: int = 4096,
               device: Optional[torch.device] = None
               ) -> Iterator[Tuple[int, Dict[str, Neighbours]]]:
    """Yield ``(start, {stream: (sims, indices)})`` per chunk of queries.

    Memory is bounded by the chunks: a ``query_chunk x reference_chunk``
    block per stream plus the fused sum, never the full similarity matrix.

    Args:
        query (dict | RowStreams | StackedStreams): ``{stream: (Q, D_s)}``
            features.
        reference (dict | RowStreams | StackedStreams): ``{stream: (R,
            D_s)}`` features, on ``device`` or not (blocks are moved and
            upcast as needed).
        k (int): Neighbours per query (at most R are returned).
        streams (Sequence[str]): Names to report; ``FUSED`` is the mean of
            the cosine similarities of the ``fused`` streams.
        fused (Sequence[str]): Streams averaged for ``FUSED``.
        query_chunk (int): Queries per chunk.
        reference_chunk (int): Reference rows per block.
        device (torch.device, optional): Where the products run.
    """
    device = torch.device('cpu') if device is None else torch.device(device)
    query, reference = as_streams(query), as_streams(reference)
    needed = [s for s in query.names if s in streams or s in fused]
    for start in range(0, len(query), query_chunk):
        q = {s: _unit_rows(v, device)
             for s, v in query.block(start, start + query_chunk).items()
             if s in needed}
        best: Dict[str, Optional[Neighbours]] = {s: None for s in streams}
        for r0 in range(0, len(reference), reference_chunk):
            block = reference.block(r0, r0 + reference_chunk)
            total = None
            for s in needed:
                sims = q[s] @ _unit_rows(block[s], device).T
                if s in best:
                    vals, idx = block_topk(sims, k)
                    best[s] = merge_topk(best[s], (vals, idx + r0), k)
                if s in fused:  # after the top-k: the sum reuses sims
                    total = sims if total is None else total.add_(sims)
            if FUSED in best:
                vals, idx = block_topk(total.div_(len(fused)), k)
                best[FUSED] = merge_topk(best[FUSED], (vals, idx + r0), k)
        yield start, best


def knn_vote(sims: Tensor, indices: Tensor, reference_labels: Tensor,
             num_classes: int, temperature: float = 0.07,
             weighting: str = 'exp') -> Tensor:
    """Predicted class of each query from its neighbours.

    ``weighting='exp'`` sums ``exp(sim / temperature)`` per class over the
    neighbours (InstDisc / DINO); ``'uniform'`` counts them. Equal votes go
    to the lower class index. With one neighbour both are 1-NN.
    """
    labels = reference_labels[indices]
    if weighting == 'exp':
        # shifting by the row maximum keeps exp finite for small T
        weights = ((sims - sims[:, :1]) / temperature).exp()
    elif weighting == 'uniform':
        weights = torch.ones_like(sims)
    else:
        raise ValueError(f"weighting must be 'exp' or 'uniform', got "
                         f'{weighting!r}')
    votes = sims.new_zeros(len(sims), num_classes)
    votes.scatter_add_(1, labels, weights)
    return votes.argmax(dim=1)
