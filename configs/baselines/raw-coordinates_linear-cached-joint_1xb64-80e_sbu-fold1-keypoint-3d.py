# Raw-coordinate linear baseline on SBU fold 1: the joint stream of the
# flattened centre-cropped clip (2 x 32 x 15 x 3), CMD's linear schedule.
_base_ = [
    '../_base_/models/raw-coordinates_linear.py',
    '../_base_/datasets/sbu-fold1_linear.py',
    '../_base_/schedules/linear_sgd-80e.py', '../_base_/linear_runtime.py'
]

model = dict(
    backbone=dict(num_person=2, clip_len=32, num_joints=15),
    cls_head=dict(in_channels=2 * 32 * 15 * 3, num_classes=8),
    layout='sbu')
train_pipeline = {{_base_.val_pipeline}}
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
train_cfg = dict(type='CachedFeatureTrainLoop', val_interval=80)
