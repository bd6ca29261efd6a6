# SCD-Net on NW-UCLA cross-view at the CPU budget of the CMD study
# (docs/benchmarks.md): narrow trunks (8 -> 16 -> 8), 16-d clues (32-d
# downstream feature), one process of batch 32, queues of 960, 20 epochs
# of CMD's CPU schedule, kNN at epochs 0, 10 and 20; SCD-Net's own views.
_base_ = [
    '../_base_/models/scdnet_ctrgcn.py',
    '../_base_/datasets/ucla-xview_ssl.py',
    '../_base_/pipelines/scdnet_pretrain.py',
    '../_base_/schedules/cmd_sgd-20e_cpu.py', '../_base_/default_runtime.py'
]

model = dict(
    backbone=dict(trunk=dict(channels=(8, 16, 8)), embed_dim=16),
    queue_size=960)
train_pipeline = {{_base_.scdnet_train_pipeline}}
train_dataloader = dict(
    batch_size=32, num_workers=0, persistent_workers=False,
    dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(num_workers=0, persistent_workers=False)
test_dataloader = val_dataloader
train_cfg = dict(val_interval=10)
# one stream: the kNN metric reports knn/joint and no knn/fused
default_hooks = dict(
    checkpoint=dict(interval=10, max_keep_ckpts=1, save_best='knn/joint'),
    logger=dict(interval=10))
