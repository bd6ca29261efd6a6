# Linear evaluation (frozen encoder, linear head on cached centre-crop
# features) of the CPU recipe's encoder on NW-UCLA cross-view. The
# stream and the checkpoint are options:
#   --cfg-options model.stream=motion model.pretrained=work_dirs/RUN/epoch_60.pth
_base_ = [
    '../../_base_/models/stgcn-tiny32_linear.py',
    '../../_base_/datasets/ucla-xview_linear.py',
    '../../_base_/schedules/linear_sgd-80e.py',
    '../../_base_/linear_runtime.py'
]

train_pipeline = {{_base_.val_pipeline}}
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
train_cfg = dict(type='CachedFeatureTrainLoop', val_interval=80)
