"""MMAction2's GCN recognizer on one stream of a skeleton, for linear
evaluation (frozen encoder) and fine-tuning of self-supervised encoders."""
from typing import Optional, Union

import torch
from torch import Tensor

from mmengine.logging import MMLogger

from mmaction.models.recognizers import RecognizerGCN
from mmaction.registry import MODELS
from ...skeleton.graph import with_layout
from ...skeleton.layouts import bone_parents, coordinate_dims, get_layout
from ...skeleton.modalities import MODALITIES, to_modality
from ..utils.pooling import global_pool
from ..utils.pretrained import load_encoder_weights


@MODELS.register_module()
class SkeletonStreamRecognizer(RecognizerGCN):
    """``RecognizerGCN`` that derives its stream from the joints and may
    keep a pretrained encoder frozen.

    The stream (joint, motion or bone) is computed from the cropped and
    resized joints with the function pretraining uses, so the encoder sees
    exactly the input it was trained on. With ``frozen=True`` the backbone
    never trains: no gradient, and eval mode whatever the runner's
    ``train()`` calls, so BatchNorm keeps the pretrained statistics.
    2-D inputs (N, C) are taken as pooled features already (cached by
    ``CachedFeatureTrainLoop``) and go straight to the head.

    Args:
        backbone (dict): Backbone config; a graph layout left out follows
            ``layout``.
        cls_head (dict): Head config, e.g. ``SkeletonLinearHead``.
        stream (str): 'joint', 'motion' or 'bone'. Defaults to 'joint'.
        layout (str | dict): Skeleton layout of the inputs.
        frozen (bool): Linear evaluation: the backbone is not trained.
        pretrained (str, optional): Checkpoint whose encoder is loaded into
            the backbone by ``init_weights``; None keeps the random init
            (the baseline).
        pretrained_prefix (str, optional): Key prefix of the encoder in the
            checkpoint. Defaults to the backbone of the query encoder that
            serves ``stream`` (``'query_encoders.<stream>.backbone.'`` for
            CMD, SCD-Net's one encoder; see
            :mod:`cmd_plugin.models.selfsup.encoder_prefix`).
        **kwargs: ``RecognizerGCN`` arguments.
    """

    def __init__(self,
                 backbone: dict,
                 cls_head: dict,
                 stream: str = 'joint',
                 layout: Union[str, dict] = 'nturgb+d',
                 frozen: bool = False,
                 pretrained: Optional[str] = None,
                 pretrained_prefix: Optional[str] = None,
                 data_preprocessor: Optional[dict] = None,
                 **kwargs) -> None:
        if stream not in MODALITIES:
            raise ValueError(f'model.stream={stream!r}: use one of '
                             f'{MODALITIES}')
        if data_preprocessor is None:
            data_preprocessor = dict(type='ActionDataPreprocessor')
        if isinstance(data_preprocessor, dict):
            # resolved in mmaction's registry even without a default scope
            data_preprocessor = MODELS.build(data_preprocessor)
        backbone = with_layout(backbone, layout)
        if isinstance(cls_head, dict) and cls_head.get('in_channels') is None:
            cls_head = dict(cls_head, in_channels=_feature_width(backbone))
        super().__init__(
            backbone=backbone,
            cls_head=cls_head,
            data_preprocessor=data_preprocessor,
            **kwargs)
        self.stream = stream
        self.layout = layout
        self.num_node = int(get_layout(layout)['num_node'])
        self.frozen = frozen
        self.pretrained = pretrained
        self.pretrained_prefix = pretrained_prefix
        self.register_buffer(
            'bone_parents',
            torch.tensor(bone_parents(layout), dtype=torch.long),
            persistent=False)
        # channels after the coordinates are keypoint scores (2-D layouts)
        self.coord_dims = coordinate_dims(layout)
        if frozen:
            self.backbone.requires_grad_(False)
            self.backbone.eval()

    def init_weights(self) -> None:
        super().init_weights()
        if self.pretrained is not None:
            load_encoder_weights(self.backbone, self.pretrained,
                                 self.pretrained_prefix, layout=self.layout,
                                 stream=self.stream)
        elif any(True for _ in self.backbone.parameters()):
            # (a parameter-free backbone, the raw coordinates, has no init)
            MMLogger.get_current_instance().warning(
                'model.pretrained is not set: the backbone keeps its random '
                'initialisation (the random-init baseline). Set '
                'model.pretrained=CHECKPOINT to evaluate a pretrained '
                'encoder.')

    def train(self, mode: bool = True):
        super().train(mode)
        if self.frozen:
            self.backbone.eval()
        return self

    def extract_feat(self, inputs: Tensor, stage: str = 'backbone',
                     **kwargs):
        if inputs.dim() == 2:  # pooled features from the cache
            return inputs, dict()
        if inputs.dim() != 6 or inputs.shape[-2] != self.num_node:
            raise ValueError(
                f'{type(self).__name__} expects (N, clips, M, T, V, C) '
                f'skeletons with V={self.num_node} (model.layout), or (N, C) '
                f'cached features; got {tuple(inputs.shape)}')
        x = to_modality(inputs, self.stream, self.bone_parents,
                        self.coord_dims)
        if not self.frozen:
            return super().extract_feat(x, stage=stage, **kwargs)
        with torch.no_grad():
            return super().extract_feat(x, stage=stage, **kwargs)

    def pooled_features(self, inputs: Tensor) -> Tensor:
        """(N, C) pooled backbone features of (N, clips, M, T, V, C) inputs:
        what the head reads (clips averaged)."""
        feats, _ = self.extract_feat(inputs)
        pooled = global_pool(feats)
        return pooled.view(inputs.shape[0], -1, pooled.shape[-1]).mean(1)


def _feature_width(backbone: dict) -> int:
    """The head's input width for ``cls_head.in_channels=None``: the
    backbone's ``out_channels`` (the raw-coordinate baseline's is the
    product of the data's sizes)."""
    width = getattr(MODELS.build(backbone), 'out_channels', None)
    if not isinstance(width, int):
        raise ValueError(
            f'cls_head.in_channels=None, but the backbone '
            f'{backbone.get("type")!r} does not say its feature width '
            '(out_channels); set model.cls_head.in_channels')
    return width
