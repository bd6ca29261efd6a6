"""Per-stream features of a config's evaluation set, for plots.

Builds the config's model (mmaction registry, plugin imported), loads a
checkpoint that must fit it (or keeps a seeded random init, the baseline),
and runs ``mode='predict'`` over part of its ``test_dataloader`` dataset,
a :class:`KNNEvalDataset`, collecting ``stream_features`` and gt labels.
"""
import logging
from typing import Dict, List, Tuple

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope

from ..compat.checkpoint_fit import check_checkpoint_fits
from ..compat.safe_checkpoint import load_from_local
from .embedding_plot import stack_features
from ..launch.settled_config import settle_config

RANDOM = 'random'
PARTS = ('query', 'reference', 'all')


def build_model(cfg: Config, checkpoint: str, seed: int = 0):
    """The config's model in eval mode, weights from ``checkpoint``.

    Args:
        checkpoint: A .pth the model must fit, or ``'random'`` for the
            initialisation a run would start from (seeded).
    """
    import cmd_plugin  # noqa: F401  (registers the plugin's modules)
    from mmaction.registry import MODELS

    init_default_scope(cfg.get('default_scope', 'mmaction'))
    settle_config(cfg)
    torch.manual_seed(seed)
    model = MODELS.build(cfg.model)
    if checkpoint == RANDOM:
        # its per-parameter report is hundreds of INFO lines
        logger = MMLogger.get_current_instance()
        level = logger.level
        logger.setLevel(logging.WARNING)
        try:
            model.init_weights()
        finally:
            logger.setLevel(level)
    else:
        loaded = load_from_local(checkpoint, map_location='cpu')
        check_checkpoint_fits(model, loaded, checkpoint)
        state = loaded.get('state_dict', loaded)
        state = {k[len('module.'):] if k.startswith('module.') else k: v
                 for k, v in state.items()}
        model.load_state_dict(state, strict=False)  # fit checked above
    return model.eval()


def pick(num: int, max_samples: int) -> List[int]:
    """Up to ``max_samples`` indices spread evenly over ``range(num)``, so
    every class of a class-sorted split is drawn."""
    if max_samples <= 0 or num <= max_samples:
        return list(range(num))
    return sorted(set(np.linspace(0, num - 1, max_samples).round()
                      .astype(int).tolist()))


def eval_part(cfg: Config, part: str = 'query'):
    """The test_dataloader's dataset, or its query/reference set."""
    from mmaction.registry import DATASETS

    if part not in PARTS:
        raise ValueError(f'part={part!r}: use one of {PARTS}')
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    settle_config(cfg)
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    if part == 'all':
        return dataset
    if not hasattr(dataset, part):
        raise ValueError(
            f'test_dataloader.dataset is a {type(dataset).__name__}, not a '
            f'KNNEvalDataset with a {part} set; use part="all"')
    return getattr(dataset, part)


@torch.no_grad()
def collect(model, dataset, indices: List[int], batch_size: int = 16
            ) -> Tuple[Dict[str, np.ndarray], np.ndarray]:
    """``({stream: (N, D)}, labels (N,))`` of ``dataset[indices]``."""
    per_sample, labels = [], []
    for start in range(0, len(indices), batch_size):
        batch = pseudo_collate(
            [dataset[i] for i in indices[start:start + batch_size]])
        for sample in model.test_step(batch):
            per_sample.append({
                k: v.numpy()
                for k, v in sample.stream_features.items()
            })
            labels.append(int(sample.gt_label.reshape(-1)[0]))
    return stack_features(per_sample), np.asarray(labels)


def class_names_of(dataset) -> List[str]:
    """The dataset's ``metainfo['classes']``, or [] when it has none."""
    names = (getattr(dataset, 'metainfo', None) or {}).get('classes')
    return list(names) if names else []
