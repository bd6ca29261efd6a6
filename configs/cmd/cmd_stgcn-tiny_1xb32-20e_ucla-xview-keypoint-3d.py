# NW-UCLA at CPU size, for the benchmarks in docs/benchmarks.md: a narrow
# ST-GCN, one process of batch 32 (the queue of 960 is 30 batches), 20
# epochs, kNN at epochs 0, 10 and 20. The no-distillation baseline is the
# same config with --cfg-options model.distill_pairs=none.
_base_ = [
    '../_base_/models/cmd_stgcn-tiny.py',
    '../_base_/datasets/ucla-xview_ssl.py',
    '../_base_/schedules/cmd_sgd-20e_cpu.py', '../_base_/default_runtime.py'
]

model = dict(queue_size=960)
train_dataloader = dict(
    batch_size=32, num_workers=0, persistent_workers=False)
val_dataloader = dict(num_workers=0, persistent_workers=False)
test_dataloader = val_dataloader
train_cfg = dict(val_interval=10)
default_hooks = dict(
    checkpoint=dict(interval=10, max_keep_ckpts=1), logger=dict(interval=10))
