from .linear_head import SkeletonLinearHead

__all__ = ['SkeletonLinearHead']
