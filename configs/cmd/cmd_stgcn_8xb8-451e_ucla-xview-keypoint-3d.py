# CMD on NW-UCLA cross-view with ST-GCN encoders: the NTU recipe with the
# NW-UCLA data (20 joints, one person, 32-frame clips) and a queue no larger
# than the 1,020 training clips (960: a multiple of the global batch 64).
_base_ = [
    '../_base_/models/cmd_stgcn.py', '../_base_/datasets/ucla-xview_ssl.py',
    '../_base_/schedules/cmd_sgd-451e.py', '../_base_/default_runtime.py'
]

model = dict(queue_size=960)
train_dataloader = dict(batch_size=8)
sync_bn = 'torch'
