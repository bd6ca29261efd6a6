"""Building the sub-pipelines of wrapper transforms (choice, views, ...)."""
from typing import Callable, Sequence, Union

from mmcv.transforms import Compose

from mmaction.registry import TRANSFORMS

TransformCfg = Union[dict, Callable, Sequence[Union[dict, Callable]]]


def build_transform(cfg: TransformCfg) -> Callable:
    """Build a transform from a config dict, a callable or a list of them.

    Dicts are built with MMAction2's registry (so plugin and mmaction
    transforms resolve without a default scope); a list becomes a
    :class:`mmcv.transforms.Compose` sub-pipeline.
    """
    if isinstance(cfg, dict):
        return TRANSFORMS.build(cfg)
    if callable(cfg):
        return cfg
    if isinstance(cfg, (list, tuple)):
        return Compose([build_transform(c) for c in cfg])
    raise TypeError('expected a transform config dict, a callable or a list '
                    f'of them, got {type(cfg).__name__}')
