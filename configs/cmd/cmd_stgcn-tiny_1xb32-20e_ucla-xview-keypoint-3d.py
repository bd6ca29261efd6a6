# NW-UCLA at CPU size, for the benchmarks in docs/benchmarks.md: the UCLA
# recipe with a narrow ST-GCN, one process of batch 32 (the queue of 960 is
# 30 batches), 20 epochs. The no-distillation baseline is the same config
# with --cfg-options model.distill_pairs=none.
_base_ = './cmd_stgcn_8xb8-451e_ucla-xview-keypoint-3d.py'

batch_size = 32
feat_channels = 16
model = dict(
    backbone=dict(
        base_channels=8, num_stages=3, inflate_stages=[2], down_stages=[2]),
    neck=dict(in_channels=feat_channels, hid_channels=feat_channels))
loader = dict(num_workers=0, persistent_workers=False)
train_dataloader = dict(**loader, batch_size=batch_size)
val_dataloader = dict(**loader, batch_size=64)
test_dataloader = val_dataloader
# kNN at epochs 0, 10 and 20 only: the study runs six of these
train_cfg = dict(max_epochs=20, val_interval=10)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[16], gamma=0.1, by_epoch=True)
]
optim_wrapper = dict(optimizer=dict(lr=0.05))
default_hooks = dict(
    checkpoint=dict(interval=10, max_keep_ckpts=1), logger=dict(interval=10))
sync_bn = None
