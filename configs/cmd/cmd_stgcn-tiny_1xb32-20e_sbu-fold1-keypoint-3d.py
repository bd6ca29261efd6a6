# SBU Kinect Interaction fold 1 at CPU size, the NW-UCLA study's settings
# on a second real dataset: a narrow ST-GCN, one process of batch 32 (7
# iterations an epoch; the queue of 192 is 6 batches), 20 epochs, kNN at
# epochs 0, 10 and 20. The recipe of docs/benchmarks.md is applied by
# tools/analysis_tools/studies/sbu-fold1_cpu.py.
_base_ = [
    '../_base_/models/cmd_stgcn-tiny.py',
    '../_base_/datasets/sbu-fold1_ssl.py',
    '../_base_/schedules/cmd_sgd-20e_cpu.py', '../_base_/default_runtime.py'
]

model = dict(layout='sbu', queue_size=192)
train_dataloader = dict(
    batch_size=32, num_workers=0, persistent_workers=False)
val_dataloader = dict(num_workers=0, persistent_workers=False)
test_dataloader = val_dataloader
train_cfg = dict(val_interval=10)
default_hooks = dict(
    checkpoint=dict(interval=10, max_keep_ckpts=1), logger=dict(interval=10))
