"""SCD-Net's feature extractor: a truncated CTR-GCN without temporal
stride (Wu et al., AAAI 2024; CTR-GCN: Chen et al., ICCV 2021).

MMAction2 1.2.0's wheel ships no CTR-GCN, so the plugin has its own. The
trunk is BatchNorm1d over the M*V*C input channels (MMAction2 ST-GCN's
``data_bn_type='MVC'``), then one ``CTRGCNBlock`` per entry of
``channels`` (published: 3 -> 64 -> 256 -> 64), all stride 1, so the
output keeps every frame and joint: (N, M, C', T, V), the layout of
MMAction2's ST-GCN output, for ``global_pool`` or SCD-Net's decoupling
module to read.
"""
from typing import Optional, Sequence

import torch
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmaction.models.utils import Graph
from mmaction.registry import MODELS
from ...skeleton.graph import resolve_graph_layout
from ..layers.ctrgcn_blocks import CTRGCNBlock

@MODELS.register_module()
class CTRGCNTrunk(BaseModule):
    """Truncated, stride-free CTR-GCN.

    At the published size (in_channels=3, channels=(64, 256, 64), NTU's
    25 joints, 2 persons) it has 363,928 parameters (see
    ``tests/models/test_ctrgcn_trunk.py``).

    Args:
        graph_cfg (dict): ``layout`` (a plugin layout name or dict, see
            ``cmd_plugin.skeleton.layouts``, or one MMAction2's ``Graph``
            knows) and ``mode`` (default ``'spatial'``: identity, inward,
            outward subsets), plus any other ``Graph`` argument.
        in_channels (int): Coordinates per joint C. Defaults to 3.
        num_person (int): Persons M. Defaults to 2.
        channels (Sequence[int]): Output channels of each block; each
            divisible by ``len(dilations) + 2``. Defaults to (64, 256, 64).
        kernel_size (int): Temporal kernel (odd). Defaults to 5.
        dilations (Sequence[int]): Temporal dilations. Defaults to (1, 2).
        reduction (int): Topology-refinement reduction. Defaults to 8.
        init_cfg (dict, optional): Initialisation config; None keeps the
            published CTR-GCN initialisation.
    """

    # its graph units' BatchNorm starts at 1e-6 (as published): in float16
    # the topology gradients underflow (docs/benchmarks.md); the config
    # check refuses float16 --amp and points to bfloat16
    fp16_safe = False

    def __init__(self,
                 graph_cfg: dict,
                 in_channels: int = 3,
                 num_person: int = 2,
                 channels: Sequence[int] = (64, 256, 64),
                 kernel_size: int = 5,
                 dilations: Sequence[int] = (1, 2),
                 reduction: int = 8,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if not isinstance(graph_cfg, dict) or 'layout' not in graph_cfg:
            raise ValueError(
                "CTRGCNTrunk needs graph_cfg=dict(layout=..., mode='spatial')"
                f', got {graph_cfg!r}')
        for key, value in (('in_channels', in_channels),
                           ('num_person', num_person)):
            if int(value) != value or value < 1:
                raise ValueError(f'CTRGCNTrunk {key} must be a positive '
                                 f'integer, got {value!r}')
        channels = tuple(channels)
        branches = len(dilations) + 2
        if not channels or any(c < 1 or c % branches for c in channels):
            raise ValueError(
                f'CTRGCNTrunk channels={channels}: give one positive width '
                f'per block, each divisible by {branches} (the temporal '
                'branches, len(dilations) + 2)')
        cfg = dict(graph_cfg)
        self.layout = cfg.pop('layout')
        cfg.setdefault('mode', 'spatial')
        layout = resolve_graph_layout(self.layout)
        try:
            graph = Graph(layout=layout, **cfg)
        except (AssertionError, TypeError, ValueError) as err:
            # MMAction2's Graph refuses an unknown mode with a bare assert
            raise ValueError(
                f'CTRGCNTrunk graph_cfg={graph_cfg!r}: MMAction2\'s Graph '
                f"refused it ({err}); use mode='spatial'") from err
        A = torch.tensor(graph.A, dtype=torch.float32)

        self.in_channels = in_channels
        self.num_person = num_person
        self.num_joints = A.shape[-1]
        self.channels = channels
        self.out_channels = channels[-1]
        self.data_bn = nn.BatchNorm1d(num_person * self.num_joints *
                                      in_channels)
        widths = (in_channels, ) + channels
        # The first block reads raw coordinates and, as published, has no
        # block residual (its graph unit still has one).
        self.blocks = nn.ModuleList(
            CTRGCNBlock(widths[i], widths[i + 1], A, residual=i > 0,
                        kernel_size=kernel_size, dilations=dilations,
                        reduction=reduction)
            for i in range(len(channels)))

    def init_weights(self) -> None:
        """The published initialisation unless ``init_cfg`` is set."""
        if self.init_cfg:
            super().init_weights()
            return
        nn.init.ones_(self.data_bn.weight)
        nn.init.zeros_(self.data_bn.bias)
        for block in self.blocks:
            block.reset_parameters()

    def check_input(self, x: Tensor) -> None:
        """Raise unless x is (N, M, T, V, C) with this trunk's M, V, C."""
        if x.dim() != 5:
            raise ValueError('CTRGCNTrunk expects (N, M, T, V, C) inputs, '
                             f'got shape {tuple(x.shape)}')
        _, m, _, v, c = x.shape
        if v != self.num_joints:
            # an MMAction2 edge dict has no parents: layout_name would
            # refuse it
            name = self.layout if isinstance(self.layout, str) \
                else self.layout.get('name')
            raise ValueError(
                f'CTRGCNTrunk graph_cfg.layout={name or "<dict>"!r} has '
                f'{self.num_joints} joints but the input has V={v} (shape '
                f'(N, M, T, V, C) = {tuple(x.shape)}); set the backbone\'s '
                'graph_cfg.layout to the dataset\'s layout')
        if m != self.num_person:
            raise ValueError(
                f'CTRGCNTrunk num_person={self.num_person} but the input has '
                f'M={m} (shape {tuple(x.shape)}); set num_person to the '
                "dataset's num_person")
        if c != self.in_channels:
            raise ValueError(
                f'CTRGCNTrunk in_channels={self.in_channels} but the input '
                f'has C={c} (shape {tuple(x.shape)}); set in_channels')

    def forward(self, x: Tensor) -> Tensor:
        """(N, M, T, V, C) skeletons -> (N, M, C', T, V) features."""
        self.check_input(x)
        n, m, t, v, c = x.shape
        x = x.permute(0, 1, 3, 4, 2).reshape(n, m * v * c, t)
        x = self.data_bn(x)
        x = x.view(n, m, v, c, t).permute(0, 1, 3, 4, 2)
        x = x.reshape(n * m, c, t, v)
        for block in self.blocks:
            x = block(x)
        return x.reshape((n, m) + x.shape[1:])
