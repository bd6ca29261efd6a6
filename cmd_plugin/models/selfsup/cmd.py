"""CMD: Cross-modal Mutual Distillation (Mao et al., ECCV 2022).

Three MoCo models -- joint, motion and bone -- trained side by side. Their
queues are written at one shared pointer, so queue column i is the same past
sample in every modality; each modality's key encoder then teaches the other
modalities' query encoders which of those columns are its neighbours
(:class:`MutualDistillationLoss`). See ``docs/cmd.md §2`` to ``§4``.
"""
import copy
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from torch import Tensor

from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from ...skeleton.layouts import bone_parents, coordinate_dims
from ...skeleton.modalities import MODALITIES, check_modalities, to_modality
from ..utils.distill_pairs import PairsCfg, resolve_distill_pairs
from ..utils.encoder import ProjectedEncoder
from .base import BaseMoCo


@MODELS.register_module()
class CMD(BaseMoCo):
    """Cross-modal mutual distillation over per-modality MoCo models.

    Per modality m: a query encoder (backbone + pooling + projection neck,
    built from the shared configs with its own weights), its EMA key
    encoder and a (feat_dim, queue_size) queue (all from
    :class:`BaseMoCo`). With ``distill_pairs='none'`` this is three
    independent SkeletonCLR-style MoCo models.

    Inputs after the data preprocessor: training (N, 2, M, T, V, C) with view
    0 the query view and view 1 the key view; evaluation (N, 1, M, T, V, C)
    or (N, M, T, V, C). The modalities are derived here from each view, so
    all three share its augmentation. With a 2-D layout a channel after
    (x, y) is the keypoint score, which motion and bone average rather than
    difference (:mod:`cmd_plugin.skeleton.modalities`).

    Args:
        backbone (dict): Backbone config, input (N, M, T, V, C), output
            (N, M, C', T', V) (ST-GCN) or (N, C') (GRU encoder). A graph
            layout left out follows ``layout``.
        neck (dict): Projection neck config, e.g.
            ``dict(type='SkeletonProjectionNeck', in_channels=256,
            hid_channels=256, out_channels=128)``.
        modalities (Sequence[str]): Any of 'joint', 'motion', 'bone', each
            at most once. Defaults to all three.
        layout (str | dict): Skeleton layout for bones, the backbone graph
            and the joint-count check: 'nturgb+d', 'nw-ucla', a registered
            name or a dict (see ``cmd_plugin.skeleton.layouts``).
        queue_size (int): K, keys per queue; a multiple of the global batch.
            Defaults to 16384.
        feat_dim (int): Embedding size; must equal the neck's out_channels.
            Defaults to 128.
        ema_momentum (float): MMEngine's EMA momentum, the weight of the
            *new* parameters: 0.001 means xi <- 0.999 xi + 0.001 theta.
            Defaults to 0.001.
        contrast_loss (dict): Config of the per-modality contrastive loss.
            Defaults to ``dict(type='InfoNCELoss', temperature=0.07)``.
        distill_loss (dict): Config of the distillation loss; ``topk`` left
            out is half the queue, as published.
        distill_pairs (str | Sequence): 'all', 'none' or (teacher, student)
            pairs. Defaults to 'all'.
        data_preprocessor (dict, optional): Defaults to
            ``dict(type='ActionDataPreprocessor')``.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 modalities: Sequence[str] = MODALITIES,
                 layout: Union[str, dict] = 'nturgb+d',
                 queue_size: int = 16384,
                 feat_dim: int = 128,
                 ema_momentum: float = 0.001,
                 contrast_loss: dict = dict(
                     type='InfoNCELoss', temperature=0.07),
                 distill_loss: dict = dict(
                     type='MutualDistillationLoss',
                     teacher_temperature=0.05,
                     student_temperature=0.1,
                     loss_weight=1.0),
                 distill_pairs: PairsCfg = 'all',
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        mods = check_modalities(modalities)
        super().__init__(
            queue_names=mods,
            layout=layout,
            queue_size=queue_size,
            feat_dim=feat_dim,
            ema_momentum=ema_momentum,
            contrast_loss=contrast_loss,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.modalities = mods
        _check_neck_width(neck, self.feat_dim)
        self.distill_pairs = resolve_distill_pairs(distill_pairs,
                                                   self.modalities)
        backbone = self.follow_layout(backbone)
        self.init_encoders({
            m: ProjectedEncoder(copy.deepcopy(backbone), copy.deepcopy(neck))
            for m in self.modalities
        })
        self.register_buffer(
            'bone_parents',
            torch.tensor(bone_parents(layout), dtype=torch.long),
            persistent=False)
        # channels after the coordinates are keypoint scores (2-D layouts)
        self.coord_dims = coordinate_dims(layout)
        self.distill_loss = None
        if self.distill_pairs:
            distill_loss = dict(distill_loss)
            distill_loss.setdefault('topk', self.queue_size // 2)
            self.distill_loss = MODELS.build(distill_loss)
            topk = getattr(self.distill_loss, 'topk', None)
            if topk is not None and topk > self.queue_size:
                raise ValueError(
                    f'distill_loss.topk={topk} exceeds queue_size='
                    f'{self.queue_size}; neighbours are drawn from the '
                    'queue. Use topk <= queue_size (half of it as '
                    'published, e.g. 8192 for 16384), or leave topk out.')

    def extract_feat(self, inputs: Tensor, modality: str) -> Tensor:
        """Query encoder's pooled, pre-projection features of one modality.

        Args:
            inputs (Tensor): (N, M, T, V, C) or (N, 1, M, T, V, C) joints;
                the modality is derived here.
            modality (str): One of ``self.modalities``.

        Returns:
            Tensor: (N, D), D = the backbone's channels (256 for the default
            ST-GCN, 2048 for the GRU encoder).
        """
        if modality not in self.modalities:
            raise ValueError(f'modality {modality!r} is not one of this '
                             f'model\'s modalities {self.modalities}')
        x = self.check_inputs(inputs, num_views=1)[:, 0]
        x = to_modality(x, modality, self.bone_parents, self.coord_dims)
        return self.query_encoders[modality].features(x)

    def stream_features(self, inputs: Tensor) -> Dict[str, Tensor]:
        """``{modality: (N, D)}`` pooled features of (N, M, T, V, C)."""
        return {m: self.extract_feat(inputs, m) for m in self.modalities}

    def loss(self, inputs: Tensor,
             data_samples: Optional[List[ActionDataSample]] = None
             ) -> Dict[str, Tensor]:
        """Compute every loss term of one step, then enqueue the keys.

        Args:
            inputs (Tensor): (N, 2, M, T, V, C): query view x, key view x'.
            data_samples (list, optional): Unused (self-supervised).

        Returns:
            dict[str, Tensor]: ``loss_nce_<m>`` per modality and
            ``loss_kd_<a>_to_<b>`` per distilled pair (already weighted).
        """
        x_query, x_key = inputs[:, 0], inputs[:, 1]
        self.update_key_encoders()

        # q^a = normalize(f_q^a(a(x))),  k^a = normalize(f_k^a(a(x')))
        q = {
            m: self._embed(self.query_encoders[m], x_query, m)
            for m in self.modalities
        }
        with torch.no_grad():  # key encoders never receive gradient
            k = {
                m: self._embed(self.key_encoders[m], x_key, m)
                for m in self.modalities
            }
        # The losses read copies: the enqueue below writes the buffers in
        # place before backward needs the values autograd saved.
        queues = self.queues.snapshot()

        losses = {}
        for m in self.modalities:
            losses[f'loss_nce_{m}'] = self.contrast_loss(q[m], k[m],
                                                         queues[m])
        for a, b in self.distill_pairs:
            losses[f'loss_kd_{a}_to_{b}'] = self.distill_loss(
                teacher_key=k[a],
                teacher_queue=queues[a],
                student_query=q[b],
                student_queue=queues[b])

        self.enqueue(k)
        return losses

    def _embed(self, encoder: torch.nn.Module, x: Tensor,
               modality: str) -> Tensor:
        """L2-normalised embedding of ``modality`` derived from joints x."""
        return F.normalize(
            encoder(to_modality(x, modality, self.bone_parents,
                                self.coord_dims)), dim=1)


def _check_neck_width(neck: dict, feat_dim: int) -> None:
    out_channels = neck.get('out_channels') if isinstance(neck, dict) else None
    if out_channels is not None and out_channels != feat_dim:
        raise ValueError(
            f'neck.out_channels={out_channels} differs from model.feat_dim='
            f'{feat_dim}; the queues store neck outputs, so set both to the '
            'same value (128 as published)')
