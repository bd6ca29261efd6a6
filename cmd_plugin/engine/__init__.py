from . import hooks, loops  # noqa: F401
from .model_wrappers import BufferPreservingDDP
from .runner import SkeletonRunner

__all__ = ['BufferPreservingDDP', 'SkeletonRunner']
