"""Backbone + projection neck as one module, the unit that CMD copies
per modality and averages into a key encoder."""
from typing import Optional

from mmengine.model import BaseModule
from torch import Tensor

from mmaction.registry import MODELS
from .pooling import global_pool


class ProjectedEncoder(BaseModule):
    """f(x) = neck(backbone(x)); ``features`` stops before the projection.

    Args:
        backbone (dict): Backbone config; input (N, M, T, V, C), output
            (N, M, C', T', V) or (N, C').
        neck (dict): Projection neck config (pools, then projects).
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self, backbone: dict, neck: dict,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck)

    def features(self, x: Tensor) -> Tensor:
        """Pooled backbone features (N, C'), the representation evaluated
        downstream (the projection head is discarded after pretraining)."""
        return global_pool(self.backbone(x))

    def forward(self, x: Tensor) -> Tensor:
        """Projected (not yet normalised) embeddings (N, out_channels)."""
        return self.neck(self.backbone(x))
