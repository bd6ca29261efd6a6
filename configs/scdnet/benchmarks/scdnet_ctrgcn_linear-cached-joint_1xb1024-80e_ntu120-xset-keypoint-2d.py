# SCD-Net's linear evaluation on ntu120-xset (docs/scdnet.md §5): the frozen
# encoder of ../scdnet_ctrgcn_1xb64-451e_ntu120-xset-keypoint-2d.py,
# Linear(4096, 120), SGD lr 2.0, batch 1024, 80 epochs; training input the
# centre crop, so the features are computed once. Give the pretraining
# checkpoint:
#   --cfg-options model.pretrained=work_dirs/RUN/epoch_451.pth
_base_ = [
    '../../_base_/models/scdnet_ctrgcn_linear.py',
    '../../_base_/datasets/ntu120-xset-2d_linear.py',
    '../../_base_/schedules/scdnet_linear_sgd-80e.py',
    '../../_base_/linear_runtime.py'
]

train_pipeline = {{_base_.val_pipeline}}
train_dataloader = dict(
    batch_size=1024, dataset=dict(pipeline=train_pipeline))
