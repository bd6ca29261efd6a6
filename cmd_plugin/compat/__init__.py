"""Fixes for the pinned OpenMMLab stack, applied on ``import cmd_plugin``."""
from .atomic_checkpoint import atomic_torch_save, install_atomic_checkpoints
from .checkpoint_files import NotACheckpointError
from .checkpoint_fit import (CheckpointMismatchError, check_checkpoint_fits,
                             install_checkpoint_fit_check)
from .mmaction_drn import install_drn_stub
from .safe_checkpoint import (UnsafeCheckpointError, install_safe_loader,
                              safe_torch_load)


def apply() -> None:
    """Apply every compat fix; idempotent."""
    install_drn_stub()
    install_safe_loader()
    install_atomic_checkpoints()
    install_checkpoint_fit_check()


__all__ = [
    'apply', 'install_drn_stub', 'install_safe_loader', 'safe_torch_load',
    'UnsafeCheckpointError', 'NotACheckpointError', 'CheckpointMismatchError',
    'check_checkpoint_fits', 'atomic_torch_save',
    'install_atomic_checkpoints', 'install_checkpoint_fit_check'
]
