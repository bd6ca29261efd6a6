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
