# The CPU recipe on SBU Kinect Interaction fold 1 (docs/benchmarks.md, "The CPU recipe"): the
# 32-d narrow ST-GCN, m = 0.99, 60 epochs at lr 0.1 (x0.1 at 48), the
# milder views, one process of batch 32, and a queue of at most a quarter
# of the training clips (32 of 227: the largest multiple of the batch), so a
# clip's own older keys never sit among its negatives. kNN at epochs 0,
# 10, ..., 60. The no-distillation baseline: --cfg-options
# model.distill_pairs=none.
_base_ = [
    '../_base_/models/cmd_stgcn-tiny32.py',
    '../_base_/datasets/sbu-fold1_ssl.py',
    '../_base_/pipelines/cmd_cpu_pretrain.py',
    '../_base_/schedules/cmd_sgd-60e_cpu.py', '../_base_/default_runtime.py'
]

model = dict(queue_size=32)
train_pipeline = {{_base_.cmd_cpu_train_pipeline}}
train_dataloader = dict(
    batch_size=32, num_workers=0, persistent_workers=False,
    dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(num_workers=0, persistent_workers=False)
test_dataloader = val_dataloader
train_cfg = dict(val_interval=10)
default_hooks = dict(
    checkpoint=dict(interval=10, max_keep_ckpts=1), logger=dict(interval=10))
