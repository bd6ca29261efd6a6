# Linear evaluation of the NW-UCLA CPU-budget SCD-Net encoder
# (../scdnet_ctrgcn-tiny_1xb32-20e_ucla-xview-keypoint-3d.py) under the
# protocol of the CMD rows beside it in docs/benchmarks.md: CMD's schedule
# (lr 0.1, batch 64), centre crop, cached features. Give the checkpoint:
#   --cfg-options model.pretrained=work_dirs/RUN/epoch_20.pth
_base_ = [
    '../../_base_/models/scdnet_ctrgcn_linear.py',
    '../../_base_/datasets/ucla-xview_linear.py',
    '../../_base_/schedules/linear_sgd-80e.py',
    '../../_base_/linear_runtime.py'
]

model = dict(
    backbone=dict(trunk=dict(channels=(8, 16, 8)), embed_dim=16),
    cls_head=dict(in_channels=32))
train_pipeline = {{_base_.val_pipeline}}
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
train_cfg = dict(type='CachedFeatureTrainLoop', val_interval=80)
