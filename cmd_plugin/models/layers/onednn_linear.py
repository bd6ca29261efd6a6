"""A pair of linear maps with weights fixed over many calls (the GRU's
per-step hidden products), on oneDNN's pre-packed weights when it can."""
from typing import Callable, Optional, Sequence

import torch
from torch import Tensor

# Whether oneDNN's linear kernel may be used; cleared after a failure so a
# build without it falls back once, silently, to the ATen (MKL) path.
_ONEDNN_OK = [True]


def onednn_linear(weights: Sequence[Tensor],
                  biases: Optional[Sequence[Tensor]],
                  rows: int) -> Optional[Callable[[int, Tensor], Tensor]]:
    """Pack ``weights`` once into oneDNN's blocked layout and return
    ``linear(c, x) = x @ weights[c]^T (+ biases[c])``, or None where that
    is unavailable (not CPU float32, oneDNN absent or disabled, or a torch
    without these ops).

    This is the only place that uses the private ``torch.ops.mkldnn``
    ops, so a torch upgrade that changes them touches this function only.

    Args:
        weights (Sequence[Tensor]): (O, I) weights.
        biases (Sequence[Tensor], optional): (O,) biases.
        rows (int): M of the products, a hint for the reorder.

    Returns:
        Callable | None: ``linear(cell_index, x (M, I)) -> (M, O)``.
    """
    if not (_ONEDNN_OK[0] and weights[0].device.type == 'cpu'
            and weights[0].dtype == torch.float32
            and torch.backends.mkldnn.is_available()
            and torch.backends.mkldnn.enabled):
        return None
    try:
        packed = [
            torch.ops.mkldnn._reorder_linear_weight(w.contiguous(), rows)
            for w in weights
        ]
    except (RuntimeError, AttributeError):
        _ONEDNN_OK[0] = False
        return None

    def linear(cell: int, x: Tensor) -> Tensor:
        bias = None if biases is None else biases[cell]
        return torch.ops.mkldnn._linear_pointwise(x, packed[cell], bias,
                                                  'none', [], '')

    return linear


class PairLinear:
    """y_c = x_c @ W_c^T (+ b_c) for the two cells, W fixed over a whole
    recurrence.

    The per-step products have M = N rows only (64 at the published batch),
    where a GEMM that repacks W on every call loses a large share of its
    time to the packing. On CPU the weights are therefore reordered once
    into oneDNN's blocked layout and reused at every step (about 1.25-1.5x
    faster than ``addmm`` at M = 64, K = 1024, 3072 outputs on an AVX2
    machine). Elsewhere, or without oneDNN, one batched GEMM is used.

    Args:
        weights (Sequence[Tensor]): Two (O, I) weights.
        biases (Sequence[Tensor], optional): Two (O,) biases.
        rows (int): M of the products, a hint for the reorder.
    """

    def __init__(self, weights: Sequence[Tensor],
                 biases: Optional[Sequence[Tensor]], rows: int) -> None:
        self.weights = weights
        self.biases = biases
        self.weight_t = None
        self.onednn = onednn_linear(weights, biases, rows)

    def __call__(self, x: Tensor, out: Tensor) -> None:
        """Write the products of x (2, M, I) into out (2, M, O)."""
        if self.onednn is not None:
            try:
                torch.stack([self.onednn(c, x[c]) for c in range(2)],
                            out=out)
                return
            except RuntimeError:
                _ONEDNN_OK[0] = False
                self.onednn = None
        if self.weight_t is None:
            # (2, I, O) contiguous: x @ W^T reads W^T with unit stride.
            self.weight_t = torch.stack([w.t() for w in self.weights])
        if self.biases is None:
            torch.bmm(x, self.weight_t, out=out)
        else:
            torch.baddbmm(
                torch.stack(self.biases).unsqueeze(1), x, self.weight_t,
                out=out)
