from .cached_feature_loop import CachedFeatureTrainLoop

__all__ = ['CachedFeatureTrainLoop']
