from . import hooks  # noqa: F401
from .model_wrappers import BufferPreservingDDP

__all__ = ['BufferPreservingDDP']
