"""Refuse config values that nothing reads, and layouts that disagree.

Top-level keys are limited to what the Runner and MMAction2's tools read
(:mod:`.config_keys`), plus the pipeline variables, which must be the
pipelines the dataloaders actually use; every dataset's layout must be the
model's.
"""
from typing import Iterator, List, Tuple

from ..skeleton.layouts import get_layout, layout_name, same_layout
from .config_keys import pipeline_loader, unread_top_level_keys

def check_config(cfg) -> None:
    """Raise ValueError naming every top-level key that would be ignored,
    every pipeline variable the dataloaders do not use, and every dataset
    whose layout differs from ``model.layout``."""
    problems: List[str] = unread_top_level_keys(cfg)
    for key in cfg.keys():
        loader_key = pipeline_loader(key)
        if loader_key is None or not cfg.get(loader_key):
            continue
        used = [p for _, p in _datasets_field(cfg[loader_key], 'pipeline')]
        if used and not any(_plain(p) == _plain(cfg[key]) for p in used):
            problems.append(
                f'top-level {key} is not the pipeline {loader_key} uses: a '
                'child config that redefines it must also pass it on, e.g. '
                f'{loader_key} = dict(dataset=dict(pipeline={key})).')
    model = cfg.get('model') or {}
    if model.get('layout') is not None:
        for loader_key in ('train_dataloader', 'val_dataloader',
                           'test_dataloader'):
            for path, layout in _datasets_field(cfg.get(loader_key), 'layout',
                                                prefix=loader_key):
                if layout is not None and not same_layout(
                        layout, model['layout']):
                    problems.append(
                        f'{path}={_name(layout)!r} differs from model.layout='
                        f'{_name(model["layout"])!r}; give both the layout '
                        'of the data.')
    problems += _fp16_problems(cfg)
    if problems:
        raise ValueError('config check failed:\n  - ' + '\n  - '.join(problems))


def _fp16_problems(cfg) -> List[str]:
    """A model part that declares ``fp16_safe = False`` under float16
    mixed precision (MMAction2's ``--amp``)."""
    wrapper = cfg.get('optim_wrapper') or {}
    if wrapper.get('type') != 'AmpOptimWrapper' or str(
            wrapper.get('dtype') or 'float16') not in ('float16', 'torch.float16',
                                                   'fp16', 'half'):
        return []
    from mmaction.registry import MODELS
    unsafe = sorted({
        kind for kind in _types(cfg.get('model'))
        if getattr(MODELS.get(kind), 'fp16_safe', True) is False
    })
    if not unsafe:
        return []
    return [f'float16 mixed precision (--amp) with {unsafe}: its gradients '
            'underflow or lose most of their digits in float16 (measured: '
            'docs/benchmarks.md, "float16 and CTR-GCN"). Use bfloat16: '
            "--amp --cfg-options optim_wrapper.dtype=bfloat16, or train in "
            'float32.']


def _types(node) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get('type'), str):
            yield node['type']
        for value in node.values():
            yield from _types(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _types(value)


def _datasets_field(node, field: str, prefix: str = '') -> Iterator[
        Tuple[str, object]]:
    """(dotted path, value) of ``field`` anywhere inside a dataloader's
    (possibly wrapped or nested) dataset configs."""
    if isinstance(node, dict):
        for key, value in node.items():
            path = f'{prefix}.{key}' if prefix else key
            if key == field:
                yield path, value
            elif key != 'pipeline':
                yield from _datasets_field(value, field, path)
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _datasets_field(value, field, f'{prefix}[{i}]')


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _name(layout) -> str:
    try:
        return layout_name(layout) or f'{get_layout(layout)["num_node"]}-joint'
    except (ValueError, TypeError):
        return str(layout)
