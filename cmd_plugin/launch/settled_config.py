"""A config as a run uses it: the dataset block given to the loaders, the
model's layout, sizes and class count taken from the data."""
from typing import List, Optional, Sequence

from .dataset_block import fill_datasets_from_block
from .model_from_data import fill_model_from_data


def settle_config(cfg, read_data: bool = True) -> List[str]:
    """Fill ``cfg`` in place as :class:`SkeletonRunner` does before it
    builds anything; tools that build a model or a dataset from a config
    themselves call it too.

    Args:
        cfg (Config): The loaded config.
        read_data (bool): Whether to read the annotation pickles' records
            (False: from what the configs state only).

    Returns:
        list[str]: What was filled, for the log.
    """
    filled = [f'{path} <- skeleton_data'
              for path in fill_datasets_from_block(cfg)]
    return filled + fill_model_from_data(cfg, read_data=read_data)


def load_config(path: str, options: Optional[Sequence[str]] = None):
    """``Config.fromfile(path)``, ``--cfg-options``-style ``key=value``
    options merged, settled (:func:`settle_config`)."""
    from mmengine.config import Config, DictAction
    cfg = Config.fromfile(path)
    if options:
        parsed = {}
        for option in options:
            key, value = option.split('=', 1)
            parsed[key] = DictAction._parse_iterable(value)
        cfg.merge_from_dict(parsed)
    settle_config(cfg)
    return cfg
