"""Fixes for the pinned OpenMMLab stack, applied on ``import cmd_plugin``."""
from .mmaction_drn import install_drn_stub
from .safe_checkpoint import (UnsafeCheckpointError, install_safe_loader,
                              safe_torch_load)


def apply() -> None:
    """Apply every compat fix; idempotent."""
    install_drn_stub()
    install_safe_loader()


__all__ = [
    'apply', 'install_drn_stub', 'install_safe_loader', 'safe_torch_load',
    'UnsafeCheckpointError'
]
