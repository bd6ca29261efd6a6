# The demo's linear evaluation shrunk like cmd_tiny_synthetic.py (whose
# checkpoints it reads): the same narrow ST-GCN, 3 epochs.
_base_ = '../../configs/cmd/benchmarks/cmd_stgcn-tiny_linear-joint_1xb32-80e_synthetic-keypoint-3d.py'  # noqa: E501

model = dict(
    backbone=dict(
        base_channels=8, num_stages=2, inflate_stages=[], down_stages=[]),
    cls_head=dict(in_channels=8))
train_dataloader = dict(batch_size=16)
train_cfg = dict(max_epochs=3, val_interval=1)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[2], gamma=0.1, by_epoch=True)
]
