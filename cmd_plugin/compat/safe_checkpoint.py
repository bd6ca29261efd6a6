"""Load MMEngine checkpoints with ``torch.load(weights_only=True)``.

torch >= 2.6 refuses MMEngine 0.10.7 checkpoints under its default
``weights_only=True`` because the message hub pickles ``HistoryBuffer``,
numpy scalars/arrays/dtypes and ``getattr(HistoryBuffer, 'min')``. Turning
``weights_only`` off would run any code a checkpoint file carries, so instead
we allowlist exactly the globals MMEngine writes. ``getattr`` itself is not
allowlisted: a stand-in resolves only HistoryBuffer's statistics methods.
"""
import codecs
import os.path as osp
import pickle
from typing import Any, Callable, List

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

from .checkpoint_files import check_checkpoint_file, damaged


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint holds a global outside MMEngine's allowlist."""


def _history_buffer_getattr(obj: Any, name: str) -> Callable:
    """``getattr`` restricted to what HistoryBuffer pickles.

    HistoryBuffer's state holds its statistics methods, which pickle as
    ``getattr(HistoryBuffer, name)``.
    """
    if obj is HistoryBuffer and (name in HistoryBuffer._statistics_methods
                                 or name in ('min', 'max', 'mean', 'current')):
        return getattr(HistoryBuffer, name)
    raise UnsafeCheckpointError(
        f'checkpoint asks for getattr({obj!r}, {name!r}); only '
        'HistoryBuffer statistics methods are allowed')


def _numpy_globals() -> List[Any]:
    try:  # numpy >= 2
        from numpy._core.multiarray import _reconstruct, scalar
    except ImportError:  # pragma: no cover - numpy 1.x
        from numpy.core.multiarray import _reconstruct, scalar
    found = [_reconstruct, scalar, np.ndarray, np.dtype]
    dtypes = getattr(np, 'dtypes', None)
    if dtypes is not None:
        found += [
            cls for cls in vars(dtypes).values()
            if isinstance(cls, type) and issubclass(cls, np.dtype)
        ]
    return found


def allowed_globals() -> List[Any]:
    """Globals beyond torch's defaults that MMEngine checkpoints contain."""
    return [HistoryBuffer, codecs.encode,
            (_history_buffer_getattr, 'builtins.getattr')] + _numpy_globals()


def safe_torch_load(filename: str, map_location=None) -> Any:
    """``torch.load`` with ``weights_only=True`` and MMEngine's allowlist.

    Raises:
        UnsafeCheckpointError: The file needs a global that is not on the
            allowlist (it could run code when unpickled).
    """
    with torch.serialization.safe_globals(allowed_globals()):
        try:
            return torch.load(
                filename, map_location=map_location, weights_only=True)
        except pickle.UnpicklingError as err:
            raise UnsafeCheckpointError(
                f'Refused to load checkpoint {filename!r}: it holds objects '
                'outside the allowlist of what MMEngine writes, and '
                'unpickling them could run arbitrary code. If you trust '
                'this file, load it yourself with torch.load(..., '
                'weights_only=False) and re-save its state_dict with '
                f'torch.save. Details: {err}') from err


def load_from_local(filename: str, map_location=None) -> Any:
    """MMEngine's local-file loader, with the allowlisted ``torch.load``."""
    filename = osp.expanduser(filename)
    check_checkpoint_file(filename)
    try:
        return safe_torch_load(filename, map_location=map_location)
    except EOFError as err:
        raise damaged(filename, err) from err
    except RuntimeError as err:
        # zip reader errors, or a legacy file cut inside its tensor data
        if not any(word in str(err)
                   for word in ('PytorchStreamReader', 'EOF', 'corrupt')):
            raise
        raise damaged(filename, err) from err


def install_safe_loader() -> None:
    """Make MMEngine's loader for local paths the allowlisted one.

    ``load_from``, ``--resume``, ``tools/test.py`` and ``init_cfg=Pretrained``
    all go through ``CheckpointLoader``.
    """
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local, force=True)
