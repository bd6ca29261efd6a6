# SCD-Net at its published size and schedule on NW-UCLA cross-view: 20
# joints (the layout's graph, flip pairs and masks), one person, 32-frame
# clips, and queues no larger than the 1,020 training clips (960).
_base_ = [
    '../_base_/models/scdnet_ctrgcn.py',
    '../_base_/datasets/ucla-xview_ssl.py',
    '../_base_/pipelines/scdnet_pretrain.py',
    '../_base_/schedules/scdnet_sgd-451e.py', '../_base_/default_runtime.py'
]

model = dict(queue_size=960)
train_pipeline = {{_base_.scdnet_train_pipeline}}
train_dataloader = dict(batch_size=64, dataset=dict(pipeline=train_pipeline))
default_hooks = dict(checkpoint=dict(save_best='knn/joint'))
