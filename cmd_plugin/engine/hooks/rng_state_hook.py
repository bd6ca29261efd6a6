"""Checkpoint every random stream of every rank, so ``--resume`` continues
the uninterrupted run."""
import random
from typing import Any, Dict, List, Optional

import numpy as np
import torch
from mmengine.dist import all_gather_object, get_rank, get_world_size
from mmengine.hooks import CheckpointHook, Hook

from mmaction.registry import HOOKS
from ...datasets.transforms.rng import (get_pipeline_rng_state,
                                        set_pipeline_rng_state)


def get_rng_states() -> Dict[str, Any]:
    """This process's Python, numpy-global, torch, CUDA and pipeline states.

    Numpy's legacy state is stored as plain values and a tensor, so the
    checkpoint stays loadable with ``torch.load(weights_only=True)``. CUDA:
    the current device only (a resumed run may see fewer devices).
    """
    kind, keys, pos, has_gauss, cached = np.random.get_state()
    states = dict(
        python=random.getstate(),
        numpy=dict(kind=kind, keys=torch.from_numpy(keys.astype(np.int64)),
                   pos=int(pos), has_gauss=int(has_gauss),
                   cached_gaussian=float(cached)),
        torch=torch.get_rng_state(),
        pipeline=get_pipeline_rng_state(),
    )
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        states['cuda'] = torch.cuda.get_rng_state()
    return states


def set_rng_states(states: Dict[str, Any]) -> None:
    """Inverse of :func:`get_rng_states`.

    The state tensors may arrive on the GPU: MMEngine's ``Runner.resume``
    loads checkpoints with ``map_location`` = the run's device, and numpy
    and ``torch.set_rng_state`` take host tensors only.
    """
    random.setstate(_as_tuple(states['python']))
    legacy = states['numpy']
    np.random.set_state(
        (legacy['kind'], _host(legacy['keys']).numpy().astype(np.uint32),
         legacy['pos'], legacy['has_gauss'], legacy['cached_gaussian']))
    torch.set_rng_state(_host(states['torch']))
    set_pipeline_rng_state(states.get('pipeline'))
    if 'cuda' in states and torch.cuda.is_available():
        torch.cuda.set_rng_state(_host(states['cuda']))


def _host(tensor):
    """``tensor`` in host memory, wherever the checkpoint was mapped."""
    return tensor.cpu() if tensor.device.type != 'cpu' else tensor


def _as_tuple(value):
    # random.setstate wants tuples; a round trip may have made lists.
    if isinstance(value, (list, tuple)):
        return tuple(_as_tuple(v) for v in value)
    return value


@HOOKS.register_module()
class RNGStateHook(Hook):
    """Save and restore all RNG states; keep validation off the train stream.

    MMEngine checkpoints only the seed, so a resumed run draws different
    augmentations and sampler seeds than the uninterrupted one. This hook
    stores every rank's streams in ``checkpoint['rng_states']`` (a list
    indexed by rank) and restores each rank's own on resume. Only rank 0
    writes checkpoints, so the states are gathered beforehand, at the end of
    every epoch and at iterations where an iteration-based
    ``CheckpointHook`` saves.

    It also snapshots the states before each validation pass and restores
    them after it: validation (its DataLoader draws a base seed from torch's
    RNG) then never shifts the training stream, so a resumed run -- which
    does not repeat the validation that followed the saved epoch -- stays
    identical to an uninterrupted one.

    The resumed stream is identical with ``num_workers=0`` or non-persistent
    workers (their seeds derive from the restored torch RNG). Persistent
    workers' own streams live in the worker processes and are not saved: a
    resumed run is then reproducible but not identical.
    """

    priority = 'VERY_HIGH'

    def __init__(self) -> None:
        self._before_val: Optional[Dict[str, Any]] = None
        self._gathered: Optional[List[Dict[str, Any]]] = None
        self._resumed: Optional[Dict[str, Any]] = None

    # keep validation off the training stream
    def before_val_epoch(self, runner) -> None:
        self._before_val = get_rng_states()

    def after_val_epoch(self, runner, metrics=None) -> None:
        if self._before_val is not None:
            set_rng_states(self._before_val)
            self._before_val = None

    # saving: gather on every rank, write on rank 0
    def after_train_epoch(self, runner) -> None:
        self._gather()

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        if self._iter_checkpoint_due(runner):
            self._gather()

    def _gather(self) -> None:
        states = get_rng_states()
        self._gathered = (all_gather_object(states)
                          if get_world_size() > 1 else [states])

    def _iter_checkpoint_due(self, runner) -> bool:
        for hook in runner.hooks:
            if isinstance(hook, CheckpointHook) and not hook.by_epoch:
                return (self.every_n_train_iters(runner, hook.interval)
                        or self.is_last_train_iter(runner))
        return False

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint['rng_states'] = self._gathered or [get_rng_states()]

    # resuming: each rank takes its own states once training starts
    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if not runner._resume or 'rng_states' not in checkpoint:
            return  # load_from starts afresh
        saved = checkpoint['rng_states']
        saved = saved if isinstance(saved, list) else [saved]
        rank = get_rank()
        if len(saved) != get_world_size():
            runner.logger.warning(
                f'checkpoint holds RNG states of {len(saved)} ranks, this '
                f'run has {get_world_size()}: the resumed random streams '
                'will differ from the interrupted run\'s')
        self._resumed = saved[rank] if rank < len(saved) else None

    def before_train(self, runner) -> None:
        # Applied here, not on load: Runner.resume() may reseed everything
        # after loading (when the checkpoint's seed differs from the config).
        if self._resumed is not None:
            set_rng_states(self._resumed)
            self._resumed = None
