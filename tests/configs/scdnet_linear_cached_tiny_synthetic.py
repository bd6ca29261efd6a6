# SCD-Net's linear protocol (frozen encoder, cached centre-crop features)
# on the encoder of configs/scdnet/scdnet_ctrgcn-tiny_1xb32-20e_synthetic.py,
# shortened to 3 epochs for the end-to-end test.
_base_ = [
    '../../configs/_base_/models/scdnet_ctrgcn_linear.py',
    '../../configs/_base_/datasets/synthetic_linear.py',
    '../../configs/_base_/schedules/linear_sgd-80e.py',
    '../../configs/_base_/linear_runtime.py'
]

model = dict(
    backbone=dict(trunk=dict(channels=(8, 16, 8)), clip_len=32,
                  embed_dim=16),
    cls_head=dict(in_channels=32, num_classes=8))
train_pipeline = {{_base_.val_pipeline}}
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=train_pipeline))
train_cfg = dict(type='CachedFeatureTrainLoop', max_epochs=3, val_interval=3)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[2], gamma=0.1, by_epoch=True)
]
