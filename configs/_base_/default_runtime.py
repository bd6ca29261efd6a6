# Runtime shared by every config of the plugin: MMAction2's defaults, the
# plugin loaded, and its hooks. What each hook is for: docs/failure-behaviour.md.
_base_ = 'mmaction::_base_/default_runtime.py'

custom_imports = dict(imports=['cmd_plugin'], allow_failed_imports=False)
# fills the model's layout, encoder sizes and class count from the data
runner_type = 'SkeletonRunner'

default_hooks = dict(
    checkpoint=dict(
        interval=10, save_best='knn/fused', rule='greater', max_keep_ckpts=3),
    logger=dict(interval=50))
custom_hooks = [
    dict(type='ConfigCheckHook'),
    dict(type='RNGStateHook'),
    dict(type='RunSettingsHook'),
    dict(type='SkeletonRecordHook'),
    dict(type='NonFiniteLossHook'),
    dict(type='GlobalBatchCheckHook'),
    dict(type='ValAtStartHook'),
    dict(type='WallClockLogHook', seconds=60),
]
# Rank-local queues: never let DDP broadcast rank 0's buffers.
model_wrapper_cfg = dict(type='BufferPreservingDDP')
