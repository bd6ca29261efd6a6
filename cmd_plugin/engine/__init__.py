from . import hooks, loops  # noqa: F401
from .model_wrappers import BufferPreservingDDP

__all__ = ['BufferPreservingDDP']
