"""Checkpoint every random stream so ``--resume`` continues bit-exactly."""
import random
from typing import Any, Dict, Optional

import numpy as np
import torch
from mmengine.hooks import Hook

from mmaction.registry import HOOKS
from ...datasets.transforms.rng import (get_pipeline_rng_state,
                                        set_pipeline_rng_state)


def get_rng_states() -> Dict[str, Any]:
    """Python, numpy-global, torch (CPU and CUDA) and pipeline RNG states.

    Numpy's legacy state is stored as plain values so that the checkpoint
    stays loadable with ``torch.load(weights_only=True)``.
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
        states['cuda'] = torch.cuda.get_rng_state_all()
    return states


def set_rng_states(states: Dict[str, Any]) -> None:
    """Inverse of :func:`get_rng_states`."""
    random.setstate(_as_tuple(states['python']))
    legacy = states['numpy']
    np.random.set_state(
        (legacy['kind'], legacy['keys'].numpy().astype(np.uint32),
         legacy['pos'], legacy['has_gauss'], legacy['cached_gaussian']))
    torch.set_rng_state(states['torch'])
    set_pipeline_rng_state(states.get('pipeline'))
    if 'cuda' in states and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states['cuda'])


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
    stores every stream in ``checkpoint['rng_states']`` and restores it on
    resume. It also snapshots the states before each validation pass and
    restores them after it: validation (its DataLoader draws a base seed from
    torch's RNG) then never shifts the training stream, so a resumed run --
    which does not repeat the validation that followed the saved epoch --
    stays identical to an uninterrupted one.
    """

    priority = 'VERY_HIGH'

    def __init__(self) -> None:
        self._before_val: Optional[Dict[str, Any]] = None
        self._resumed: Optional[Dict[str, Any]] = None

    def before_val_epoch(self, runner) -> None:
        self._before_val = get_rng_states()

    def after_val_epoch(self, runner, metrics=None) -> None:
        if self._before_val is not None:
            set_rng_states(self._before_val)
            self._before_val = None

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint['rng_states'] = get_rng_states()

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        # Only a resumed run continues the stream; load_from starts afresh.
        if runner._resume and 'rng_states' in checkpoint:
            self._resumed = checkpoint['rng_states']

    def before_train(self, runner) -> None:
        # Applied here, not on load: Runner.resume() may reseed everything
        # after loading (when the checkpoint's seed differs from the config).
        if self._resumed is not None:
            set_rng_states(self._resumed)
            self._resumed = None
