# Raw-coordinate linear baseline on NW-UCLA cross-view: the motion stream of
# the flattened centre-cropped clip (1 x 32 x 20 x 3), CMD's linear schedule.
_base_ = [
    '../_base_/models/raw-coordinates_linear.py',
    '../_base_/datasets/ucla-xview_linear.py',
    '../_base_/schedules/linear_sgd-80e.py', '../_base_/linear_runtime.py'
]

model = dict(
    backbone=dict(num_person=1, clip_len=32, num_joints=20),
    cls_head=dict(in_channels=1 * 32 * 20 * 3, num_classes=10),
    stream='motion',
    layout='nw-ucla')
train_pipeline = {{_base_.val_pipeline}}
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
train_cfg = dict(type='CachedFeatureTrainLoop', val_interval=80)
