# SCD-Net's linear evaluation on NW-UCLA cross-view: the frozen encoder of
# ../scdnet_ctrgcn_1xb64-451e_ucla-xview-keypoint-3d.py, Linear(4096, 10), SGD
# lr 2.0, batch 1024 (one step per epoch on the 1,020 clips), 80 epochs, centre
# crop, cached features. Give the pretraining checkpoint:
#   --cfg-options model.pretrained=work_dirs/RUN/epoch_451.pth
_base_ = [
    '../../_base_/models/scdnet_ctrgcn_linear.py',
    '../../_base_/datasets/ucla-xview_linear.py',
    '../../_base_/schedules/scdnet_linear_sgd-80e.py',
    '../../_base_/linear_runtime.py'
]

train_pipeline = {{_base_.val_pipeline}}
train_dataloader = dict(
    batch_size=1024, dataset=dict(pipeline=train_pipeline))
