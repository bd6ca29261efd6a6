"""One CTR-GCN block: graph unit, then multi-scale temporal conv, with a
residual around both (stride 1: SCD-Net's truncated trunk never
downsamples time)."""
from typing import Sequence

from torch import Tensor, nn

from .ctrgcn_graph_conv import CTRGraphConv, conv_init
from .multiscale_temporal_conv import MultiScaleTemporalConv
from .residual import residual_branch


class CTRGCNBlock(nn.Module):
    """``relu(tcn(gcn(x)) + residual(x))`` over (N, C, T, V) features.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        A (Tensor): (K, V, V) adjacency subsets.
        residual (bool): The block residual (identity, or a 1x1 conv-BN
            when the channels change). The published first block, reading
            raw coordinates, has none. Defaults to True.
        kernel_size (int): Temporal kernel. Defaults to 5.
        dilations (Sequence[int]): Temporal dilations. Defaults to (1, 2).
        reduction (int): Topology-refinement reduction. Defaults to 8.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 A: Tensor,
                 residual: bool = True,
                 kernel_size: int = 5,
                 dilations: Sequence[int] = (1, 2),
                 reduction: int = 8) -> None:
        super().__init__()
        self.gcn = CTRGraphConv(in_channels, out_channels, A, reduction)
        self.tcn = MultiScaleTemporalConv(out_channels, out_channels,
                                          kernel_size, dilations,
                                          residual=False)
        self.residual = residual_branch(in_channels, out_channels, residual)
        if isinstance(self.residual, nn.Sequential):
            conv_init(self.residual)
        self.relu = nn.ReLU(inplace=True)

    def reset_parameters(self) -> None:
        """Re-draw the published initialisation of every part."""
        self.gcn.reset_parameters()
        self.tcn.reset_parameters()
        if isinstance(self.residual, nn.Sequential):
            conv_init(self.residual)

    def forward(self, x: Tensor) -> Tensor:
        """(N, C, T, V) -> (N, C', T, V)."""
        y = self.tcn(self.gcn(x))
        if self.residual is not None:
            y = y + self.residual(x)
        return self.relu(y)
