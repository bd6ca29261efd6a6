# Linear evaluation (frozen encoder, linear head) of a CMD stgcn-tiny joint
# stream on synthetic; give the pretraining checkpoint:
#   --cfg-options model.pretrained=work_dirs/RUN/epoch_N.pth
_base_ = [
    '../../_base_/models/stgcn-tiny_linear.py',
    '../../_base_/datasets/synthetic_linear.py',
    '../../_base_/schedules/linear_sgd-80e.py',
    '../../_base_/linear_runtime.py'
]

auto_scale_lr = dict(base_batch_size=32)  # the CPU recipe's one process
