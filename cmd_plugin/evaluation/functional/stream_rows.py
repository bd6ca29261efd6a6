"""Feature sets the kNN search reads block by block.

:class:`RowStreams` keeps what the metric gathered, one row per sample with
the streams side by side, and stacks only the block asked for: the search
never needs one matrix of the whole set on the CPU (building it next to
the rows would double the peak, as freed rows stay in the heap).
:class:`StackedStreams` is one matrix per stream, e.g. on the GPU.
"""
from typing import Dict, List, Sequence, Tuple, Union

import torch
from torch import Tensor


class StackedStreams:
    """``{stream: (n, D_s)}`` matrices."""

    def __init__(self, feats: Dict[str, Tensor]) -> None:
        self.feats = feats
        self.names = list(feats)

    def __len__(self) -> int:
        return len(next(iter(self.feats.values())))

    def block(self, start: int, stop: int) -> Dict[str, Tensor]:
        return {s: f[start:stop] for s, f in self.feats.items()}


class RowStreams:
    """Rows ``(sum of D_s, )`` holding the streams of ``layout`` in order.

    Args:
        rows (list[Tensor]): One 1-D tensor per sample.
        layout (Sequence[tuple[str, int]]): ``(stream, dim)`` in row order.
    """

    def __init__(self, rows: List[Tensor],
                 layout: Sequence[Tuple[str, int]]) -> None:
        self.rows = rows
        self.layout = list(layout)
        self.names = [s for s, _ in self.layout]

    def __len__(self) -> int:
        return len(self.rows)

    def block(self, start: int, stop: int) -> Dict[str, Tensor]:
        stacked = torch.stack(self.rows[start:stop])
        out, offset = {}, 0
        for s, d in self.layout:
            out[s] = stacked[:, offset:offset + d]
            offset += d
        return out

    def to_device(self, device: torch.device,
                  block: int = 4096) -> StackedStreams:
        """One matrix per stream on ``device``, filled a block at a time
        (so the CPU holds one block beside the rows)."""
        dtype = self.rows[0].dtype
        feats = {s: torch.empty(len(self), d, dtype=dtype, device=device)
                 for s, d in self.layout}
        for start in range(0, len(self), block):
            for s, part in self.block(start, start + block).items():
                feats[s][start:start + len(part)] = part.to(device)
        return StackedStreams(feats)


def as_streams(
        feats: Union[Dict[str, Tensor], RowStreams, StackedStreams]
) -> Union[RowStreams, StackedStreams]:
    return StackedStreams(feats) if isinstance(feats, dict) else feats


class RowSlabs:
    """Rows handed out as views of a few large tensors.

    Rows allocated one by one between a batch's large temporaries fragment
    the heap (about 1.4x the data at NTU-120 size); slabs of up to
    ``max_bytes`` (doubling from the first batch) hold them contiguously.
    Only for one process: gathering across ranks pickles a view's whole
    slab.
    """

    def __init__(self, max_bytes: int = 64 * 2**20) -> None:
        self.max_bytes = max_bytes
        self.slab = None
        self.used = 0

    def store(self, batch: Tensor, dtype: torch.dtype) -> List[Tensor]:
        """Copy ``batch`` (n, D) into the slabs as ``dtype``; its rows."""
        rows, start = [], 0
        while start < len(batch):
            if (self.slab is None or self.used == len(self.slab)
                    or self.slab.shape[1] != batch.shape[1]
                    or self.slab.dtype != dtype):
                self._grow(batch, dtype)
            n = min(len(batch) - start, len(self.slab) - self.used)
            part = self.slab[self.used:self.used + n]
            part.copy_(batch[start:start + n])
            rows.extend(part.unbind(0))
            self.used += n
            start += n
        return rows

    def _grow(self, batch: Tensor, dtype: torch.dtype) -> None:
        row_bytes = batch.shape[1] * torch.empty(0, dtype=dtype).element_size()
        cap = max(1, self.max_bytes // max(1, row_bytes))
        size = len(batch) if self.slab is None else 2 * len(self.slab)
        self.slab = torch.empty(max(1, min(size, cap)), batch.shape[1],
                                dtype=dtype)
        self.used = 0
