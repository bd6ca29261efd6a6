# The demo recipe shrunk for unit-test speed: tiny ST-GCN, queue 32, batch 8.
# The annotation file comes from $CMD_DEMO_ANN_FILE.
_base_ = '../../configs/cmd/cmd_stgcn-tiny_1xb32-20e_synthetic.py'

model = dict(
    backbone=dict(
        base_channels=8, num_stages=2, inflate_stages=[], down_stages=[]),
    neck=dict(in_channels=8, hid_channels=8),
    queue_size=32)
train_dataloader = dict(batch_size=8)
val_dataloader = dict(batch_size=16)
test_dataloader = val_dataloader
train_cfg = dict(max_epochs=2, val_interval=1)
# `end` explicit: the resume test stops a run early with max_epochs=1, which
# would otherwise also shorten the schedule (MMEngine defaults end to it).
param_scheduler = [
    dict(type='MultiStepLR', milestones=[1], gamma=0.1, by_epoch=True,
         begin=0, end=2)
]
default_hooks = dict(
    checkpoint=dict(interval=1, max_keep_ckpts=3, save_best=None),
    logger=dict(interval=1))
