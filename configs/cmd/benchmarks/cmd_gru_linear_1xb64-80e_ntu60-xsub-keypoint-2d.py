# Linear evaluation (frozen encoder, linear head) of one stream of a CMD
# GRU pretrained on ntu60-xsub, 2-D keypoints; the joint stream
# by default, the others with model.stream=motion|bone:
#   python tools/train.py THIS_CONFIG --cfg-options \
#       model.pretrained=work_dirs/cmd_gru_1xb64-451e_ntu60-xsub-keypoint-2d/epoch_451.pth \
#       model.stream=joint
_base_ = [
    '../../_base_/models/gru_linear.py',
    '../../_base_/datasets/ntu60-xsub-2d_linear.py',
    '../../_base_/schedules/linear_sgd-80e.py',
    '../../_base_/linear_runtime.py'
]
