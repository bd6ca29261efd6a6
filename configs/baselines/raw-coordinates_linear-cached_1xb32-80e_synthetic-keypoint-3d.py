# Raw-coordinate linear baseline on the synthetic skeletons (the demo's
# third column): a linear classifier on the flattened centre-cropped clip,
# the same cached protocol and schedule as the demo's CMD linear
# evaluation. Other streams: --cfg-options model.stream=motion
_base_ = [
    '../_base_/models/raw-coordinates_linear.py',
    '../_base_/datasets/synthetic_linear.py',
    '../_base_/schedules/linear_sgd-80e.py', '../_base_/linear_runtime.py'
]

auto_scale_lr = dict(base_batch_size=32)
train_pipeline = {{_base_.val_pipeline}}
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
train_cfg = dict(type='CachedFeatureTrainLoop', val_interval=80)
