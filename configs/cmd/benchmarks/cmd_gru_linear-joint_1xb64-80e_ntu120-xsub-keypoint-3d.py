# Linear evaluation (frozen encoder, linear head) of a CMD gru joint
# stream on ntu120-xsub; give the pretraining checkpoint:
#   --cfg-options model.pretrained=work_dirs/RUN/epoch_N.pth
_base_ = [
    '../../_base_/models/gru_linear.py',
    '../../_base_/datasets/ntu120-xsub_linear.py',
    '../../_base_/schedules/linear_sgd-80e.py',
    '../../_base_/linear_runtime.py'
]

