"""CMD: Cross-modal Mutual Distillation (Mao et al., ECCV 2022).

Three MoCo models -- joint, motion and bone -- trained side by side. Their
queues are written at one shared pointer, so queue column i is the same past
sample in every modality; each modality's key encoder then teaches the other
modalities' query encoders which of those columns are its neighbours
(:class:`MutualDistillationLoss`). See ``docs/cmd-spec.md``.
"""
import copy
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel, ExponentialMovingAverage, ModuleDict
from torch import Tensor

from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from ...datasets.layouts import get_layout
from ..utils.distill_pairs import PairsCfg, resolve_distill_pairs
from ..utils.encoder import ProjectedEncoder
from ..utils.gather import concat_all_gather
from ..utils.modalities import MODALITIES, check_modalities, to_modality
from ..utils.queues import SHORT_BATCH_FIX, AlignedQueues


@MODELS.register_module()
class CMD(BaseModel):
    """Cross-modal mutual distillation over per-modality MoCo models.

    Per modality m: a query encoder (backbone + pooling + projection neck,
    built from the shared configs with its own weights), a key encoder that
    is mmengine's :class:`ExponentialMovingAverage` of it (parameters only,
    updated at the start of every step, before the keys are computed), and a
    (feat_dim, queue_size) queue. With ``distill_pairs='none'`` this is three
    independent SkeletonCLR-style MoCo models.

    Inputs after the data preprocessor: training (N, 2, M, T, V, C) with view
    0 the query view and view 1 the key view; evaluation (N, 1, M, T, V, C)
    or (N, M, T, V, C). The modalities are derived here from each view, so
    all three share its augmentation.

    Args:
        backbone (dict): Backbone config, input (N, M, T, V, C), output
            (N, M, C', T', V) (ST-GCN) or (N, C') (GRU encoder).
        neck (dict): Projection neck config, e.g.
            ``dict(type='SkeletonProjectionNeck', in_channels=256,
            hid_channels=256, out_channels=128)``.
        modalities (Sequence[str]): Any of 'joint', 'motion', 'bone', each
            at most once. Defaults to all three.
        layout (str | dict): Skeleton layout for bones and the joint-count
            check: 'nturgb+d', 'nw-ucla' or a dict with ``num_node`` and
            ``parents`` (see ``cmd_plugin.datasets.layouts``).
        queue_size (int): K, keys per queue; a multiple of the global batch.
            Defaults to 16384.
        feat_dim (int): Embedding size; must equal the neck's out_channels.
            Defaults to 128.
        ema_momentum (float): mmengine's EMA momentum, the weight of the
            *new* parameters: 0.001 means xi <- 0.999 xi + 0.001 theta.
            Defaults to 0.001.
        temperature (float): InfoNCE temperature tau. Defaults to 0.07.
        distill_loss (dict): Config of the distillation loss.
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
                 temperature: float = 0.07,
                 distill_loss: dict = dict(
                     type='MutualDistillationLoss',
                     teacher_temperature=0.05,
                     student_temperature=0.1,
                     topk=8192,
                     loss_weight=1.0),
                 distill_pairs: PairsCfg = 'all',
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='ActionDataPreprocessor')
        if isinstance(data_preprocessor, dict):
            # Built here so the type resolves in mmaction's registry even
            # when no default scope is set (tests, scripts).
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)

        self.modalities = check_modalities(modalities)
        layout_dict = get_layout(layout)
        self.num_node = int(layout_dict['num_node'])
        self.queue_size = _positive_int(queue_size, 'queue_size')
        self.feat_dim = _positive_int(feat_dim, 'feat_dim')
        _check_ema_momentum(ema_momentum)
        self.ema_momentum = ema_momentum
        _check_neck_width(neck, self.feat_dim)
        self.distill_pairs = resolve_distill_pairs(distill_pairs,
                                                   self.modalities)

        self.query_encoders = ModuleDict({
            m: ProjectedEncoder(copy.deepcopy(backbone), copy.deepcopy(neck))
            for m in self.modalities
        })
        self._check_backbone_joints()
        # Not initialised by init_weights: the first update copies the query
        # encoder (mmengine's EMA does so at steps == 0).
        self.key_encoders = ModuleDict({
            m: ExponentialMovingAverage(
                self.query_encoders[m], momentum=ema_momentum)
            for m in self.modalities
        })
        self.register_buffer(
            'bone_parents',
            torch.tensor(layout_dict['parents'], dtype=torch.long),
            persistent=False)
        self.queues = AlignedQueues(self.modalities, self.feat_dim,
                                    self.queue_size)

        self.nce_loss = MODELS.build(
            dict(type='InfoNCELoss', temperature=temperature))
        self.distill_loss = None
        if self.distill_pairs:
            self.distill_loss = MODELS.build(distill_loss)
            topk = getattr(self.distill_loss, 'topk', None)
            if topk is not None and topk > self.queue_size:
                raise ValueError(
                    f'distill_loss.topk={topk} exceeds queue_size='
                    f'{self.queue_size}; neighbours are drawn from the '
                    'queue. Use topk <= queue_size (half of it as '
                    'published, e.g. 8192 for 16384).')
        # Local batch of the first training step; a different one later is
        # a short last batch (see _check_train_batch).
        self._train_batch_size: Optional[int] = None

    # ------------------------------------------------------------------ #
    # public API
    # ------------------------------------------------------------------ #
    def forward(self,
                inputs: Tensor,
                data_samples: Optional[List[ActionDataSample]] = None,
                mode: str = 'tensor'):
        """Dispatch on ``mode``: 'loss', 'predict' or 'tensor'.

        'tensor' returns ``{modality: (N, D) pooled features}`` of the first
        view.
        """
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            views = self._check_inputs(inputs, num_views=None)
            return {m: self.extract_feat(views[:, 0], m)
                    for m in self.modalities}
        raise RuntimeError(f'Invalid mode "{mode}"; use loss, predict or '
                           'tensor')

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
        x = self._check_inputs(inputs, num_views=1)[:, 0]
        x = to_modality(x, modality, self.bone_parents)
        return self.query_encoders[modality].features(x)

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
        views = self._check_inputs(inputs, num_views=2)
        self._check_train_batch(views.shape[0])
        x_query, x_key = views[:, 0], views[:, 1]

        # xi <- m xi + (1 - m) theta before the keys, so this step's keys
        # come from the freshly averaged encoder.
        for m in self.modalities:
            self.key_encoders[m].update_parameters(self.query_encoders[m])

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
            losses[f'loss_nce_{m}'] = self.nce_loss(q[m], k[m], queues[m])
        for a, b in self.distill_pairs:
            losses[f'loss_kd_{a}_to_{b}'] = self.distill_loss(
                teacher_key=k[a],
                teacher_queue=queues[a],
                student_query=q[b],
                student_queue=queues[b])

        self._enqueue(k)
        return losses

    def predict(self, inputs: Tensor,
                data_samples: Optional[List[ActionDataSample]] = None
                ) -> List[ActionDataSample]:
        """Attach pooled query-encoder features for kNN evaluation.

        Each sample gets ``stream_features = {modality: 1-D float CPU
        tensor}``, the field :class:`KNNAccuracy` reads. (Not ``features``:
        ``ActionDataSample`` reserves that name for an ``InstanceData``.)

        Args:
            inputs (Tensor): (N, 1, M, T, V, C) or (N, M, T, V, C).
            data_samples (list, optional): One per sample; created if None.

        Returns:
            list[ActionDataSample]: ``data_samples`` with features attached.
        """
        views = self._check_inputs(inputs, num_views=1)
        feats = {
            m: self.extract_feat(views, m).detach().float().cpu()
            for m in self.modalities
        }
        if data_samples is None:
            data_samples = [ActionDataSample() for _ in range(len(views))]
        for i, sample in enumerate(data_samples):
            sample.set_field({m: f[i]
                              for m, f in feats.items()}, 'stream_features')
        return data_samples

    def check_global_batch(self, batch_size: int, world_size: int) -> None:
        """Check that the queue is tiled by the global batch.

        Called by a hook before the first iteration.

        Args:
            batch_size (int): Per-rank ``train_dataloader.batch_size``.
            world_size (int): Number of ranks.

        Raises:
            ValueError: ``queue_size`` is not a multiple of
                ``batch_size * world_size``.
        """
        global_batch = batch_size * world_size
        if self.queue_size % global_batch == 0:
            return
        below = (self.queue_size // global_batch) * global_batch
        suggestion = below if below > 0 else global_batch
        raise ValueError(
            f'model.queue_size={self.queue_size} is not a multiple of the '
            f'global batch train_dataloader.batch_size x world_size = '
            f'{batch_size} x {world_size} = {global_batch}: the shared queue '
            'pointer would wrap mid-batch. Set model.queue_size to a '
            f'multiple of {global_batch} (e.g. {suggestion}) or pick a batch '
            f'size that divides {self.queue_size}; keep distill_loss.topk at '
            'most (published: half) the queue size.')

    # ------------------------------------------------------------------ #
    # internals
    # ------------------------------------------------------------------ #
    def _embed(self, encoder: torch.nn.Module, x: Tensor,
               modality: str) -> Tensor:
        """L2-normalised embedding of ``modality`` derived from joints x."""
        return F.normalize(
            encoder(to_modality(x, modality, self.bone_parents)), dim=1)

    def _enqueue(self, keys: Dict[str, Tensor]) -> None:
        """Gather this step's keys from every rank and enqueue them."""
        # One collective for all modalities keeps their rows in one sample
        # order, which is what aligns the queues' columns.
        stacked = torch.stack([keys[m] for m in self.modalities], dim=1)
        gathered = concat_all_gather(stacked)  # (world * N, n_mod, D)
        self.queues.enqueue(
            {m: gathered[:, i]
             for i, m in enumerate(self.modalities)})

    def _check_train_batch(self, batch_size: int) -> None:
        """Fail on a short batch before it reaches the collective."""
        if self._train_batch_size is None:
            self._train_batch_size = batch_size
        elif batch_size != self._train_batch_size:
            raise ValueError(
                f'CMD got a training batch of {batch_size} samples after '
                f'batches of {self._train_batch_size}. {SHORT_BATCH_FIX}')

    def _check_inputs(self, inputs: Tensor,
                      num_views: Optional[int]) -> Tensor:
        """Return inputs as (N, views, M, T, V, C) or raise a clear error.

        Args:
            inputs (Tensor): Model inputs.
            num_views (int, optional): Required number of views; with 1 a
                5-D (N, M, T, V, C) tensor is accepted too; None accepts
                any.
        """
        if not isinstance(inputs, Tensor):
            raise TypeError(
                f'CMD expects a stacked tensor, got {type(inputs).__name__}; '
                "use data_preprocessor=dict(type='ActionDataPreprocessor')")
        if inputs.dim() == 5 and num_views in (1, None):
            inputs = inputs.unsqueeze(1)
        if inputs.dim() != 6:
            raise ValueError(
                'CMD expects inputs of shape (N, views, M, T, V, C) -- '
                '2 views for training, 1 for evaluation -- or (N, M, T, V, '
                f'C) for evaluation; got shape {tuple(inputs.shape)}. Check '
                'that the pipeline ends with FormatGCNInput and '
                'PackActionInputs, and the multi-view wrapper in training.')
        if num_views is not None and inputs.shape[1] != num_views:
            purpose = 'training' if num_views == 2 else 'evaluation'
            raise ValueError(
                f'CMD {purpose} expects {num_views} view(s) in dim 1 of '
                f'(N, views, M, T, V, C); got shape {tuple(inputs.shape)}. '
                'Training pipelines produce a query and a key view; '
                'evaluation pipelines one view.')
        if inputs.shape[-2] != self.num_node:
            raise ValueError(
                f'inputs have V={inputs.shape[-2]} joints (dim -2 of '
                f'{tuple(inputs.shape)}) but the model layout has '
                f'{self.num_node}; set model.layout to the dataset\'s layout '
                "(e.g. 'nw-ucla' for 20 joints) and the backbone's graph to "
                'match')
        return inputs

    def _check_backbone_joints(self) -> None:
        """Compare the backbone's joint count (when it exposes one) with the
        layout's, so a mismatch fails at build time, not mid-training."""
        backbone = self.query_encoders[self.modalities[0]].backbone
        graph = getattr(backbone, 'graph', None)
        for owner, attr in ((graph, 'num_node'), (backbone, 'num_node'),
                            (backbone, 'num_joints')):
            value = getattr(owner, attr, None) if owner is not None else None
            if isinstance(value, int) and value != self.num_node:
                raise ValueError(
                    f'the backbone is built for {value} joints but '
                    f'model.layout has num_node={self.num_node}; give '
                    'backbone.graph_cfg.layout (or the backbone\'s joint '
                    'count) the same layout as model.layout')


def _positive_int(value: int, key: str) -> int:
    if int(value) != value or value < 1:
        raise ValueError(f'model.{key} must be a positive integer, got '
                         f'{value!r}')
    return int(value)


def _check_ema_momentum(momentum: float) -> None:
    if not 0.0 < momentum < 1.0:
        raise ValueError(
            f'model.ema_momentum={momentum} must lie in (0, 1); it is the '
            'weight of the new parameters: 0.001 means m = 0.999')
    if momentum > 0.5:
        raise ValueError(
            f'model.ema_momentum={momentum} would make the key encoder '
            'follow the query encoder almost instantly. mmengine\'s EMA '
            'momentum is 1 - m: for MoCo\'s m = 0.999 write '
            'ema_momentum=0.001')


def _check_neck_width(neck: dict, feat_dim: int) -> None:
    out_channels = neck.get('out_channels') if isinstance(neck, dict) else None
    if out_channels is not None and out_channels != feat_dim:
        raise ValueError(
            f'neck.out_channels={out_channels} differs from model.feat_dim='
            f'{feat_dim}; the queues store neck outputs, so set both to the '
            'same value (128 as published)')
