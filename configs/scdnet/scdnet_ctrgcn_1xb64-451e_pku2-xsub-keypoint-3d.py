# SCD-Net at its published size and schedule on pku2-xsub, as on NTU-60 xsub.
_base_ = [
    '../_base_/models/scdnet_ctrgcn.py',
    '../_base_/datasets/pku2-xsub_ssl.py',
    '../_base_/pipelines/scdnet_pretrain.py',
    '../_base_/schedules/scdnet_sgd-451e.py', '../_base_/default_runtime.py'
]

train_pipeline = {{_base_.scdnet_train_pipeline}}
train_dataloader = dict(batch_size=64, dataset=dict(pipeline=train_pipeline))
default_hooks = dict(checkpoint=dict(save_best='knn/joint'))
