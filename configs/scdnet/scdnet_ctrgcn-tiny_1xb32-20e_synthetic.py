# SCD-Net with narrow trunks (8 -> 16 -> 8) and 16-d clues on the synthetic
# skeletons, sized for a 2-core CPU: a wiring check, not a recipe. Data from
# tools/data/make_synthetic.py; the path can be set with $CMD_DEMO_ANN_FILE.
# SCD-Net's own views (../_base_/pipelines/scdnet_pretrain.py).
_base_ = [
    '../_base_/models/scdnet_ctrgcn.py', '../_base_/datasets/synthetic_ssl.py',
    '../_base_/pipelines/scdnet_pretrain.py',
    '../_base_/schedules/cmd_sgd-20e_cpu.py', '../_base_/default_runtime.py'
]

model = dict(
    backbone=dict(trunk=dict(channels=(8, 16, 8)), embed_dim=16),
    queue_size=256)
train_pipeline = {{_base_.scdnet_train_pipeline}}
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
train_cfg = dict(val_interval=5)
# one stream: the kNN metric reports knn/joint and no knn/fused
default_hooks = dict(
    checkpoint=dict(interval=5, max_keep_ckpts=1, save_best='knn/joint'),
    logger=dict(interval=5))
randomness = dict(seed=0)
