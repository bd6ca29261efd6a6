"""Refuse config values that nothing reads.

MMEngine resolves a base config's variables in the base: a child config
that redefines ``queue_size = 960``, or ``--cfg-options ann_file=...``,
adds a top-level key that no part of the run reads, and the run silently
keeps the base's value. Top-level keys are therefore limited to what the
Runner and MMAction2's tools read, plus the pipeline variables, which must
be the pipelines the dataloaders actually use.
"""
from typing import Iterator, List, Tuple

from ..datasets.layouts import get_layout, layout_name, same_layout

# Read by MMEngine's Runner.from_cfg / Runner.__init__, MMAction2's
# tools/train.py and tools/test.py, or Config itself.
RUNNER_KEYS = frozenset({
    'model', 'work_dir', 'train_dataloader', 'val_dataloader',
    'test_dataloader', 'train_cfg', 'val_cfg', 'test_cfg', 'auto_scale_lr',
    'optim_wrapper', 'param_scheduler', 'val_evaluator', 'test_evaluator',
    'default_hooks', 'custom_hooks', 'data_preprocessor', 'load_from',
    'resume', 'launcher', 'env_cfg', 'log_processor', 'log_level',
    'visualizer', 'vis_backends', 'default_scope', 'randomness',
    'experiment_name', 'model_wrapper_cfg', 'compile', 'sync_bn',
    'activation_checkpointing', 'efficient_conv_bn_eval', 'resource_limit',
    'custom_imports', 'runner_type', 'find_unused_parameters',
})
PIPELINE_KEYS = {
    'train_pipeline': 'train_dataloader',
    'val_pipeline': 'val_dataloader',
    'test_pipeline': 'test_dataloader',
}
_WHERE = {
    'ann_file': 'train_dataloader.dataset.ann_file and '
                'val_dataloader.dataset.ann_file',
    'layout': 'model.layout and every dataset\'s layout',
    'queue_size': 'model.queue_size',
    'batch_size': 'train_dataloader.batch_size',
}


def check_config(cfg) -> None:
    """Raise ValueError naming every top-level key that would be ignored,
    every pipeline variable the dataloaders do not use, and every dataset
    whose layout differs from ``model.layout``."""
    problems: List[str] = []
    for key in cfg.keys():
        if key in RUNNER_KEYS or key in PIPELINE_KEYS:
            continue
        where = _WHERE.get(key, 'the model, dataset or transform that uses '
                                'it')
        problems.append(
            f'top-level {key!r} is read by nothing: a variable a base config '
            'used was already resolved there, so changing it in a child '
            f'config or with --cfg-options has no effect. Set {where} '
            'instead.')
    for key, loader_key in PIPELINE_KEYS.items():
        if key not in cfg or not cfg.get(loader_key):
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
    if problems:
        raise ValueError('config check failed:\n  - ' + '\n  - '.join(problems))


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
