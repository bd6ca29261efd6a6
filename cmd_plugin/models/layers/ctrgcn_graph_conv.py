"""CTR-GCN's graph unit: channel-wise topology refinement (Chen et al.,
ICCV 2021), as SCD-Net's trunk uses it.

Each adjacency subset k (identity, inward, outward for MMAction2's
``Graph(mode='spatial')``) has a learnable shared topology ``PA[k]``
(initialised from A) and a refinement computed from the input: two 1x1
convs reduce the channels to R, are averaged over time, and every joint
pair (u, v) gets ``tanh(q_u - k_v)``; a 1x1 conv lifts that to the output
channels, giving one (V, V) topology per output channel. It is scaled by
``alpha`` (one scalar shared by the subsets, initialised to 0, so training
starts from the shared topology alone) and added to ``PA[k]``.

Aggregation is ``y[c, t, u] = sum_v A[c, u, v] x[c, t, v]``, the published
CTR-GCN convention (row u receives), applied to MMAction2's
column-normalised ``In``/``Out`` matrices (the same construction as the
published graph; the edges are the layout's, see
``cmd_plugin/skeleton/layouts.py``).
"""
from typing import List

import torch
from torch import Tensor, nn

from .residual import residual_branch

# The published unit reads raw coordinates (3 channels, or 9 for joint +
# motion + bone) with 8 relation channels, where C/8 would be 0 or 1.
_RAW_INPUT_CHANNELS = (3, 9)
_RAW_INPUT_REL_CHANNELS = 8


def relation_channels(in_channels: int, reduction: int) -> int:
    """The published rule: 8 for 3 or 9 input channels, else
    ``in_channels // reduction`` (8 at 64 inputs, 32 at 256; 1 at 8)."""
    if in_channels in _RAW_INPUT_CHANNELS:
        return _RAW_INPUT_REL_CHANNELS
    rel = in_channels // reduction
    if rel < 1:
        raise ValueError(
            f'CTR-GCN topology refinement: {in_channels} input channels // '
            f'reduction {reduction} leaves no relation channel; use a trunk '
            f'width of at least {reduction} or a smaller '
            'encoder.trunk.reduction')
    return rel


def conv_init(module: nn.Module) -> None:
    """Kaiming-normal (fan-out) 1x1/temporal convs with zero bias, BN at
    weight 1, bias 0: the published CTR-GCN initialisation."""
    for m in module.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode='fan_out')
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


class TopologyRefinement(nn.Module):
    """One subset's channel-wise topology and feature transform.

    Args:
        in_channels (int): Input channels C.
        out_channels (int): Output channels C'.
        reduction (int): Relation channels, see :func:`relation_channels`.
            Defaults to 8.
    """

    def __init__(self, in_channels: int, out_channels: int,
                 reduction: int = 8) -> None:
        super().__init__()
        rel = relation_channels(in_channels, reduction)
        self.rel_channels = rel
        self.query = nn.Conv2d(in_channels, rel, 1)
        self.key = nn.Conv2d(in_channels, rel, 1)
        self.value = nn.Conv2d(in_channels, out_channels, 1)
        self.expand = nn.Conv2d(rel, out_channels, 1)

    def topology(self, x: Tensor, shared: Tensor, alpha: Tensor) -> Tensor:
        """Refined topology ``shared + alpha * expand(tanh(q_u - k_v))``.

        Args:
            x (Tensor): (N, C, T, V).
            shared (Tensor): (V, V) shared topology of this subset.
            alpha (Tensor): Scalar refinement scale.

        Returns:
            Tensor: (N, C', V, V).
        """
        q = self.query(x).mean(2)
        k = self.key(x).mean(2)
        rel = torch.tanh(q.unsqueeze(-1) - k.unsqueeze(-2))
        return self.expand(rel) * alpha + shared

    def forward(self, x: Tensor, shared: Tensor, alpha: Tensor) -> Tensor:
        """(N, C, T, V) -> (N, C', T, V) aggregated over the refined
        topology."""
        adj = self.topology(x, shared, alpha)
        return torch.einsum('ncuv,nctv->nctu', adj, self.value(x))


class CTRGraphConv(nn.Module):
    """CTR-GCN graph unit: per-subset refinement, summed, BN, residual,
    ReLU.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        A (Tensor): (K, V, V) adjacency subsets, e.g. MMAction2's
            ``Graph(mode='spatial').A`` (K=3).
        reduction (int): Relation-channel reduction. Defaults to 8.
    """

    def __init__(self, in_channels: int, out_channels: int, A: Tensor,
                 reduction: int = 8) -> None:
        super().__init__()
        A = torch.as_tensor(A, dtype=torch.float32)
        if A.dim() != 3 or A.shape[1] != A.shape[2]:
            raise ValueError('CTRGraphConv needs adjacency subsets of shape '
                             f'(K, V, V), got {tuple(A.shape)}')
        self.num_subsets = A.shape[0]
        self.refinements = nn.ModuleList(
            TopologyRefinement(in_channels, out_channels, reduction)
            for _ in range(self.num_subsets))
        self.PA = nn.Parameter(A.clone())
        self.alpha = nn.Parameter(torch.zeros(1))
        self.bn = nn.BatchNorm2d(out_channels)
        self.down = residual_branch(in_channels, out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Published init; the unit's output BN starts near zero (weight
        1e-6) so each block starts close to its residual path."""
        conv_init(self)
        nn.init.constant_(self.bn.weight, 1e-6)

    def refined_topologies(self, x: Tensor) -> List[Tensor]:
        """Per subset, the (N, C', V, V) topology this input gets."""
        return [r.topology(x, self.PA[k], self.alpha)
                for k, r in enumerate(self.refinements)]

    def forward(self, x: Tensor) -> Tensor:
        """(N, C, T, V) -> (N, C', T, V)."""
        y = None
        for k, refinement in enumerate(self.refinements):
            z = refinement(x, self.PA[k], self.alpha)
            y = z if y is None else y + z
        return self.relu(self.bn(y) + self.down(x))
