"""The random number generator every augmentation of this plugin draws from.

Why not numpy's global RNG: MMAction2's ``UniformSampleFrames(test_mode=True)``
calls ``np.random.seed(255)`` on every sample and mmcv's ``RandomChoice`` /
``RandomApply`` draw from the global RNG, so with ``num_workers=0`` each
validation pass would rewind the training augmentations. Forked DataLoader
workers also inherit a copy of the parent's global state.

Instead each process owns one :class:`numpy.random.Generator`, created lazily
and re-created whenever the process identity changes:

* inside a DataLoader worker it is seeded from
  ``torch.utils.data.get_worker_info().seed``: different per worker and, for
  non-persistent workers, per epoch; it is drawn from the main process's
  torch RNG, so ``torch.manual_seed`` (MMEngine's ``randomness.seed``)
  makes runs reproducible;
* in the main process (``num_workers=0``) it is seeded from
  ``torch.initial_seed()`` at first use and then never reseeded implicitly,
  so later ``torch.manual_seed`` calls (e.g. by evaluation code) do not
  rewind it either.

The distributed rank is mixed into both implicit seeds because MMEngine gives
every rank the same torch seed unless ``diff_rank_seed=True``; without it,
worker ``k`` of every rank would draw identical augmentations.

Transforms must call :func:`pipeline_rng` at transform time and never keep
the generator: a generator stored at construction is the one copied into
every forked worker.
"""
import os
from typing import Any, Dict, Optional, Tuple

import numpy as np
import torch
import torch.distributed as dist
from torch.utils.data import get_worker_info

__all__ = [
    'pipeline_rng', 'seed_pipeline_rng', 'get_pipeline_rng_state',
    'set_pipeline_rng_state'
]

# (pid, worker id, worker seed): worker id/seed are None in the main process.
_ProcessKey = Tuple[int, Optional[int], Optional[int]]

_key: Optional[_ProcessKey] = None
_rng: Optional[np.random.Generator] = None


def _process_key() -> _ProcessKey:
    info = get_worker_info()
    if info is None:
        return (os.getpid(), None, None)
    return (os.getpid(), info.id, info.seed)


def _rank() -> int:
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank()
    # Spawned workers have no process group but inherit the launcher's env.
    return int(os.environ.get('RANK', 0))


def _implicit_generator(key: _ProcessKey) -> np.random.Generator:
    seed = torch.initial_seed() if key[2] is None else key[2]
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence([seed, _rank()])))


def _install(generator: np.random.Generator) -> np.random.Generator:
    global _key, _rng
    _key, _rng = _process_key(), generator
    return generator


def pipeline_rng() -> np.random.Generator:
    """Return this process's augmentation generator, seeding it if needed.

    Returns:
        numpy.random.Generator: The generator. Use it for the current call
        only; do not store it.
    """
    key = _process_key()
    if _rng is None or key != _key:
        return _install(_implicit_generator(key))
    return _rng


def seed_pipeline_rng(seed: int) -> None:
    """Seed the current process's generator explicitly (tests, tools).

    The seed is used as given (no rank is mixed in). A DataLoader worker
    started later still reseeds itself from its own worker seed.

    Args:
        seed (int): A non-negative integer.
    """
    _install(np.random.default_rng(seed))


def get_pipeline_rng_state() -> Optional[Dict[str, Any]]:
    """Return the current process's generator state, or None if unused.

    The state is numpy's ``bit_generator.state``: a dict of str and int only,
    so it survives ``torch.load(weights_only=True)`` in a checkpoint.

    Returns:
        dict | None: None when this process has not drawn yet (its stream
        will be seeded lazily as usual).
    """
    if _rng is None or _key != _process_key():
        return None
    return _copy_state(_rng.bit_generator.state)


def set_pipeline_rng_state(state: Optional[Dict[str, Any]]) -> None:
    """Restore a state from :func:`get_pipeline_rng_state` in this process.

    Args:
        state (dict | None): The saved state. None forgets the current
            generator, so the next draw seeds it lazily again.
    """
    global _key, _rng
    if state is None:
        _key = _rng = None
        return
    if not isinstance(state, dict) or 'bit_generator' not in state:
        raise ValueError('set_pipeline_rng_state: expected a dict from '
                         f'get_pipeline_rng_state() (or None), got {state!r}')
    name = state['bit_generator']
    bit_generator_cls = getattr(np.random, str(name), None)
    if not (isinstance(bit_generator_cls, type)
            and issubclass(bit_generator_cls, np.random.BitGenerator)):
        raise ValueError(f'set_pipeline_rng_state: unknown bit generator '
                         f'{name!r} in the saved state')
    bit_generator = bit_generator_cls()
    bit_generator.state = _copy_state(state)
    _install(np.random.Generator(bit_generator))


def _copy_state(state: Dict[str, Any]) -> Dict[str, Any]:
    # numpy hands out a fresh dict, but nested dicts could be shared with a
    # caller that later mutates them; keep our copy independent.
    return {
        k: (_copy_state(v) if isinstance(v, dict) else v)
        for k, v in state.items()
    }
