from .projection_neck import SkeletonProjectionNeck

__all__ = ['SkeletonProjectionNeck']
