"""A linear classifier on the pooled feature of a skeleton encoder."""
from typing import Dict

from mmengine.model.weight_init import normal_init
from torch import Tensor, nn

from mmaction.models.heads import BaseHead
from mmaction.registry import MODELS
from ..utils.pooling import global_pool


FEATURE_NORMS = ('none', 'batchnorm')


@MODELS.register_module()
class SkeletonLinearHead(BaseHead):
    """Linear(in_channels, num_classes) on the global average of the
    backbone output: (N, M, C, T, V) from ST-GCN, (N, C) from the GRU
    encoder or from cached features -- the same pooling as pretraining's
    projection neck, so linear evaluation reads the representation that was
    trained.

    Args:
        num_classes (int): Classes of the downstream dataset.
        in_channels (int): Feature size C.
        dropout (float): Dropout before the classifier. Defaults to 0
            (the linear protocol has none).
        feature_norm (str): 'none', the published protocol, or
            'batchnorm': a BatchNorm1d without affine parameters on the
            pooled feature before the classifier (MAE's linear probe). At
            test time it is a fixed affine map, so the probe stays linear
            in the feature; it only takes away the feature's scale, which
            otherwise sets how fast SGD at a fixed lr can fit the head
            (a randomly initialised encoder's features can differ between
            clips by a few per cent of their size and then leave the plain
            head at chance after 80 epochs). Defaults to 'none'.
        init_std (float): Std of the classifier's normal init.
            Defaults to 0.01.
        average_clips (str): How test scores of a sample's clips are
            combined; 'prob' (softmax, averaged) makes ``pred_score`` one
            probability vector per sample, what score fusion reads.
        **kwargs: ``BaseHead`` arguments (``loss_cls``, ``topk``, ...).
    """

    def __init__(self, num_classes: int, in_channels: int,
                 dropout: float = 0.0, feature_norm: str = 'none',
                 init_std: float = 0.01, average_clips: str = 'prob',
                 **kwargs) -> None:
        super().__init__(num_classes, in_channels,
                         average_clips=average_clips, **kwargs)
        if feature_norm not in FEATURE_NORMS:
            raise ValueError(
                f'SkeletonLinearHead feature_norm={feature_norm!r}; use one '
                f"of {FEATURE_NORMS} ('none' is the published protocol)")
        self.init_std = init_std
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.feature_norm = (nn.BatchNorm1d(in_channels, affine=False)
                             if feature_norm == 'batchnorm' else
                             nn.Identity())
        self.fc = nn.Linear(in_channels, num_classes)

    def init_weights(self) -> None:
        normal_init(self.fc, std=self.init_std)

    def forward(self, x: Tensor, **kwargs: Dict) -> Tensor:
        feat = global_pool(x)
        if feat.shape[1] != self.in_channels:
            raise ValueError(
                f'SkeletonLinearHead got {feat.shape[1]}-d features but '
                f'in_channels={self.in_channels}; set '
                'model.cls_head.in_channels to the backbone\'s output width '
                '(256 for the default ST-GCN, 2048 for the GRU encoder)')
        return self.fc(self.dropout(self.feature_norm(feat)))
