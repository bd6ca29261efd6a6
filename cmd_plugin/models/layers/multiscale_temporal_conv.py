"""CTR-GCN's multi-scale temporal convolution, stride 1.

Four kinds of branch, each ``out_channels / num_branches`` wide, read the
same input and are concatenated: one dilated temporal conv per dilation
(1x1 conv-BN-ReLU, then a (kernel, 1) conv-BN), a max-pool branch (1x1
conv-BN-ReLU, 3x1 max-pool, BN) and a plain 1x1 conv-BN. Padding keeps T
for every T, odd or even, which needs an odd kernel.
"""
from typing import Sequence

import torch
from torch import Tensor, nn

from .ctrgcn_graph_conv import conv_init
from .residual import residual_branch


def _reduce(in_channels: int, channels: int) -> list:
    return [nn.Conv2d(in_channels, channels, 1), nn.BatchNorm2d(channels),
            nn.ReLU(inplace=True)]


class MultiScaleTemporalConv(nn.Module):
    """Multi-scale temporal conv over (N, C, T, V) features.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels; divisible by
            ``len(dilations) + 2``.
        kernel_size (int): Odd temporal kernel of the dilated branches.
            Defaults to 5.
        dilations (Sequence[int]): One branch per dilation. Defaults to
            (1, 2).
        residual (bool): Add the input (a 1x1 conv-BN when the channels
            change). ``CTRGCNBlock`` turns it off and adds its own residual
            around the graph unit and this module. Defaults to True.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 kernel_size: int = 5,
                 dilations: Sequence[int] = (1, 2),
                 residual: bool = True) -> None:
        super().__init__()
        if kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError(
                f'temporal kernel_size must be odd (got {kernel_size}) so '
                'stride-1 padding keeps the number of frames')
        num_branches = len(dilations) + 2
        if out_channels % num_branches:
            raise ValueError(
                f'out_channels={out_channels} must be divisible by the '
                f'{num_branches} temporal branches (len(dilations) + 2)')
        width = out_channels // num_branches
        branches = []
        for d in dilations:
            pad = (kernel_size - 1) * d // 2
            branches.append(nn.Sequential(
                *_reduce(in_channels, width),
                nn.Conv2d(width, width, (kernel_size, 1),
                          padding=(pad, 0), dilation=(d, 1)),
                nn.BatchNorm2d(width)))
        branches.append(nn.Sequential(
            *_reduce(in_channels, width),
            nn.MaxPool2d((3, 1), stride=1, padding=(1, 0)),
            nn.BatchNorm2d(width)))
        branches.append(nn.Sequential(
            nn.Conv2d(in_channels, width, 1), nn.BatchNorm2d(width)))
        self.branches = nn.ModuleList(branches)
        self.residual = residual_branch(in_channels, out_channels, residual)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Published init: Kaiming convs; BN weights drawn around 1 (std
        0.02), as the published temporal module does."""
        conv_init(self)
        for m in self.modules():
            if isinstance(m, nn.BatchNorm2d):
                nn.init.normal_(m.weight, 1.0, 0.02)

    def forward(self, x: Tensor) -> Tensor:
        """(N, C, T, V) -> (N, C', T, V), same T and V."""
        out = torch.cat([branch(x) for branch in self.branches], dim=1)
        if self.residual is not None:
            out = out + self.residual(x)
        return out
