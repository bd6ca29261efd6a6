"""What every MoCo-style skeleton method repeats, written once.

A method built on :class:`BaseMoCo` supplies its query encoders (one or
several, each mapping (N, M, T, V, C) joints to (N, D) embeddings), its
:meth:`~BaseMoCo.loss` and its :meth:`~BaseMoCo.stream_features`. The base
owns the EMA key encoders (updated before the keys are computed), the
named queues written at one shared pointer, the all-rank gather before the
enqueue, the layout the encoders follow and their joint check, the input
and batch checks, and ``predict``. Encoders sit where
:mod:`.encoder_prefix` says. See ``docs/cmd.md §2``.
"""
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmengine.model import BaseModel, ModuleDict
from torch import Tensor, nn

from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from ...skeleton.graph import check_backbone_joints, with_layout
from ...skeleton.layouts import get_layout
from ..utils.fused_ema import FusedEMA
from ..utils.gather import concat_all_gather
from ..utils.queues import SHORT_BATCH_FIX, AlignedQueues
from .checks import check_ema_momentum, positive_int


class BaseMoCo(BaseModel):
    """Query encoders, their EMA key encoders and aligned named queues.

    Subclasses call ``super().__init__`` first, then
    :meth:`init_encoders` with their query encoders, and implement
    :meth:`loss` and :meth:`stream_features`.

    Args:
        queue_names (Sequence[str]): One (feat_dim, queue_size) queue each.
        layout (str | dict): Skeleton layout of the inputs.
        queue_size (int): K, keys per queue; a multiple of the global batch
            and at most the keys one epoch yields.
        feat_dim (int): Embedding size stored in the queues.
        ema_momentum (float): MMEngine's EMA momentum, the weight of the
            *new* parameters: 0.001 means xi <- 0.999 xi + 0.001 theta.
        contrast_loss (dict): Config of the contrastive loss, called as
            ``loss(query, key, queue)``.
        data_preprocessor (dict, optional): Defaults to
            ``dict(type='ActionDataPreprocessor')``.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 queue_names: Sequence[str],
                 layout: Union[str, dict],
                 queue_size: int,
                 feat_dim: int,
                 ema_momentum: float,
                 contrast_loss: dict,
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
        self.layout = layout
        self.num_node = int(get_layout(layout)['num_node'])
        self.queue_size = positive_int(queue_size, 'queue_size')
        self.feat_dim = positive_int(feat_dim, 'feat_dim')
        check_ema_momentum(ema_momentum)
        self.ema_momentum = ema_momentum
        self.queues = AlignedQueues(queue_names, self.feat_dim,
                                    self.queue_size)
        self.contrast_loss = MODELS.build(contrast_loss)
        # Local batch of the first training step; a different one later is
        # a short last batch (see check_train_batch).
        self._train_batch_size: Optional[int] = None

    def follow_layout(self, encoder: dict) -> dict:
        """A copy of an encoder config whose graph (if any) is
        ``model.layout``'s; a graph layout it states must agree."""
        return with_layout(encoder, self.layout)

    def init_encoders(self, query_encoders: Dict[str, nn.Module]) -> None:
        """Adopt the query encoders and make an EMA key encoder of each.

        Every part of an encoder that states a joint count must have the
        layout's, so a mismatch fails here rather than mid-training.
        """
        for encoder in query_encoders.values():
            for part in encoder.modules():
                check_backbone_joints(part, self.num_node)
        self.query_encoders = ModuleDict(query_encoders)
        # Not initialised by init_weights: the first update copies the
        # query encoder (MMEngine's EMA does so at steps == 0).
        self.key_encoders = ModuleDict({
            name: FusedEMA(encoder, momentum=self.ema_momentum)
            for name, encoder in query_encoders.items()
        })

    # ------------------------------------------------------------------ #
    # what a method implements
    # ------------------------------------------------------------------ #
    def loss(self, inputs: Tensor,
             data_samples: Optional[List[ActionDataSample]] = None
             ) -> Dict[str, Tensor]:
        """Loss terms of one step of (N, 2, M, T, V, C) views."""
        raise NotImplementedError

    def stream_features(self, inputs: Tensor) -> Dict[str, Tensor]:
        """Downstream features ``{stream: (N, D)}`` of (N, M, T, V, C)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ #
    # the MoCo steps
    # ------------------------------------------------------------------ #
    def update_key_encoders(self) -> None:
        """xi <- m xi + (1 - m) theta, before this step's keys, so they come
        from the freshly averaged encoders."""
        for name, key_encoder in self.key_encoders.items():
            key_encoder.update_parameters(self.query_encoders[name])

    def enqueue(self, keys: Dict[str, Tensor]) -> None:
        """Gather this step's keys from every rank and enqueue them.

        One collective for all queues keeps their rows in one sample order,
        which is what aligns the queues' columns.
        """
        names = self.queues.names
        stacked = torch.stack([keys[n] for n in names], dim=1)
        gathered = concat_all_gather(stacked)  # (world * N, n_queues, D)
        self.queues.enqueue({n: gathered[:, i] for i, n in enumerate(names)})

    # ------------------------------------------------------------------ #
    # forward modes
    # ------------------------------------------------------------------ #
    def forward(self,
                inputs: Tensor,
                data_samples: Optional[List[ActionDataSample]] = None,
                mode: str = 'tensor'):
        """Dispatch on ``mode``: 'loss', 'predict' or 'tensor'.

        'tensor' returns :meth:`stream_features` of the first view.
        """
        if mode == 'loss':
            views = self.check_inputs(inputs, num_views=2)
            self.check_train_batch(views.shape[0])
            return self.loss(views, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            views = self.check_inputs(inputs, num_views=None)
            return self.stream_features(views[:, 0])
        raise RuntimeError(f'Invalid mode "{mode}"; use loss, predict or '
                           'tensor')

    def predict(self, inputs: Tensor,
                data_samples: Optional[List[ActionDataSample]] = None
                ) -> List[ActionDataSample]:
        """Attach ``stream_features = {stream: 1-D float CPU tensor}`` to
        every sample, the field the kNN metric reads. (Not ``features``:
        ``ActionDataSample`` reserves that name for an ``InstanceData``.)

        Args:
            inputs (Tensor): (N, 1, M, T, V, C) or (N, M, T, V, C).
            data_samples (list, optional): One per sample; created if None.
        """
        views = self.check_inputs(inputs, num_views=1)
        feats = {
            name: f.detach().float().cpu()
            for name, f in self.stream_features(views[:, 0]).items()
        }
        if data_samples is None:
            data_samples = [ActionDataSample() for _ in range(len(views))]
        for i, sample in enumerate(data_samples):
            sample.set_field({n: f[i] for n, f in feats.items()},
                             'stream_features')
        return data_samples

    # ------------------------------------------------------------------ #
    # checks
    # ------------------------------------------------------------------ #
    def check_training_setup(self, batch_size: int, world_size: int,
                             drop_last: bool, num_samples: int) -> None:
        """Check, before the first iteration, that the training loader and
        the world size fit the queues (called by ``GlobalBatchCheckHook``).

        Args:
            batch_size (int): Per-rank ``train_dataloader.batch_size``.
            world_size (int): Number of ranks.
            drop_last (bool): ``train_dataloader.drop_last``.
            num_samples (int): Training samples in the (global) dataset.

        Raises:
            ValueError: A short last batch is kept, the queue is not tiled
                by the global batch, or it exceeds the keys of one epoch
                (a sample's own older keys would be its negatives).
        """
        if not drop_last:
            raise ValueError(
                'train_dataloader must drop its short last batch: a partial '
                'batch breaks the queue alignment across modalities. Set '
                'train_dataloader.drop_last=True in the config.')
        self.check_global_batch(batch_size, world_size)
        global_batch = batch_size * world_size
        per_epoch = num_samples // global_batch * global_batch
        if self.queue_size > per_epoch:
            raise ValueError(
                f'model.queue_size={self.queue_size} exceeds the '
                f'{per_epoch} keys one epoch yields ({num_samples} '
                f'training samples, global batch {global_batch}, short '
                'batch dropped): older keys of a sample would be its own '
                'negatives. Use a queue_size <= that, a multiple of the '
                'global batch (and distill_loss.topk about half of it).')

    def check_global_batch(self, batch_size: int, world_size: int) -> None:
        """Raise unless ``queue_size`` is a multiple of the global batch
        ``batch_size * world_size`` (the shared pointer must not wrap
        mid-batch)."""
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

    def check_train_batch(self, batch_size: int) -> None:
        """Fail on a short batch before it reaches the collective."""
        if self._train_batch_size is None:
            self._train_batch_size = batch_size
        elif batch_size != self._train_batch_size:
            raise ValueError(
                f'{type(self).__name__} got a training batch of {batch_size} '
                f'samples after batches of {self._train_batch_size}. '
                f'{SHORT_BATCH_FIX}')

    def check_inputs(self, inputs: Tensor,
                     num_views: Optional[int]) -> Tensor:
        """Return inputs as (N, views, M, T, V, C) or raise a clear error.

        Args:
            inputs (Tensor): Model inputs.
            num_views (int, optional): Required number of views; with 1 a
                5-D (N, M, T, V, C) tensor is accepted too; None accepts
                any.
        """
        name = type(self).__name__
        if not isinstance(inputs, Tensor):
            raise TypeError(
                f'{name} expects a stacked tensor, got '
                f"{type(inputs).__name__}; use "
                "data_preprocessor=dict(type='ActionDataPreprocessor')")
        if inputs.dim() == 5 and num_views in (1, None):
            inputs = inputs.unsqueeze(1)
        if inputs.dim() != 6:
            raise ValueError(
                f'{name} expects inputs of shape (N, views, M, T, V, C) -- '
                '2 views for training, 1 for evaluation -- or (N, M, T, V, '
                f'C) for evaluation; got shape {tuple(inputs.shape)}. Check '
                'that the pipeline ends with FormatGCNInput and '
                'PackActionInputs, and the multi-view wrapper in training.')
        if num_views is not None and inputs.shape[1] != num_views:
            purpose = 'training' if num_views == 2 else 'evaluation'
            raise ValueError(
                f'{name} {purpose} expects {num_views} view(s) in dim 1 of '
                f'(N, views, M, T, V, C); got shape {tuple(inputs.shape)}. '
                'Training pipelines produce a query and a key view; '
                'evaluation pipelines one view.')
        if inputs.shape[-2] != self.num_node:
            raise ValueError(
                f'inputs have V={inputs.shape[-2]} joints (dim -2 of '
                f'{tuple(inputs.shape)}) but the model layout has '
                f'{self.num_node}; set model.layout to the dataset\'s layout '
                "(e.g. 'nw-ucla' for 20 joints)")
        return inputs
