"""Top-level config keys that something reads.

MMEngine resolves a base config's variables in the base: a child config
that redefines ``queue_size = 960``, or ``--cfg-options ann_file=...``,
adds a top-level key that no part of the run reads, and the run silently
keeps the base's value. This module imports nothing of the package, so the
launch pre-flight (run as a plain script) can use it too.
"""
from typing import List, Optional

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
    # the dataset block, read at run time by SkeletonRunner
    # (cmd_plugin/launch/dataset_block.py)
    'skeleton_data',
})
PIPELINE_KEYS = {
    'train_pipeline': 'train_dataloader',
    'val_pipeline': 'val_dataloader',
    'test_pipeline': 'test_dataloader',
}


def pipeline_loader(key: str) -> Optional[str]:
    """The dataloader a top-level pipeline variable feeds, or None: the
    three standard names, or a named set of training views from
    ``configs/_base_/pipelines/`` (``<name>_train_pipeline``, e.g.
    ``scdnet_train_pipeline``), which only the training loader can use."""
    if key in PIPELINE_KEYS:
        return PIPELINE_KEYS[key]
    return 'train_dataloader' if key.endswith('_train_pipeline') else None
_WHERE = {
    'ann_file': 'skeleton_data.ann_file (the dataset block), or '
                'train_dataloader.dataset.ann_file and '
                'val_dataloader.dataset.ann_file',
    'layout': 'skeleton_data.layout (the dataset block) where the pickle '
              'records none',
    'queue_size': 'model.queue_size',
    'batch_size': 'train_dataloader.batch_size',
}


def unread_top_level_keys(cfg) -> List[str]:
    """One message per top-level key of ``cfg`` that nothing reads."""
    problems = []
    for key in cfg.keys():
        if key in RUNNER_KEYS or pipeline_loader(key):
            continue
        where = _WHERE.get(key, 'the model, dataset or transform that uses '
                                'it')
        problems.append(
            f'top-level {key!r} is read by nothing: a variable a base config '
            'used was already resolved there, so changing it in a child '
            f'config or with --cfg-options has no effect. Set {where} '
            'instead.')
    return problems
