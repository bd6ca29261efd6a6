"""Pool a skeleton backbone's output and project it for contrastive
learning (the MoCo v2 / SkeletonCLR projection MLP)."""
from typing import Optional, Sequence, Union

from mmengine.model import BaseModule
from torch import Tensor, nn

from mmaction.registry import MODELS
from ..utils.pooling import global_pool


@MODELS.register_module()
class SkeletonProjectionNeck(BaseModule):
    """Global average pooling, then Linear - ReLU - Linear.

    ST-GCN (256-d output): ``in_channels=256, hid_channels=256,
    out_channels=128``. CMD's GRU encoder (2048-d): ``2048, 2048, 128``.
    The layers keep PyTorch's default init unless ``xavier_out`` or
    ``init_cfg`` say otherwise.

    Args:
        in_channels (int): Backbone feature size C'.
        hid_channels (int): Hidden layer size.
        out_channels (int): Embedding size (the queue's feat_dim).
        xavier_out (bool): Xavier-uniform init of the output layer's weight
            (bias left at PyTorch's default). The published GRU recipe
            Xavier-initialises every 2-D weight of its encoder, this layer
            included, but creates the first layer afterwards, so that one
            keeps the default (docs/cmd.md §7). Defaults to False.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int,
                 hid_channels: int,
                 out_channels: int,
                 xavier_out: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.hid_channels = hid_channels
        self.out_channels = out_channels
        self.xavier_out = xavier_out
        self.mlp = nn.Sequential(
            nn.Linear(in_channels, hid_channels), nn.ReLU(inplace=True),
            nn.Linear(hid_channels, out_channels))

    def init_weights(self) -> None:
        super().init_weights()
        if self.xavier_out:
            nn.init.xavier_uniform_(self.mlp[2].weight)

    def forward(self, x: Union[Tensor, Sequence[Tensor]]) -> Tensor:
        """Project a backbone output.

        Args:
            x (Tensor | Sequence[Tensor]): (N, M, C', T', V) or (N, C'); a
                tuple of stage outputs uses the last one.

        Returns:
            Tensor: (N, out_channels), not normalised.
        """
        if isinstance(x, (tuple, list)):
            x = x[-1]
        feat = global_pool(x)
        if feat.shape[1] != self.in_channels:
            raise ValueError(
                f'SkeletonProjectionNeck has in_channels={self.in_channels} '
                f'but the backbone gives {feat.shape[1]} channels; set '
                f'neck.in_channels={feat.shape[1]}')
        return self.mlp(feat)
