# Transfer: the joint stream's ST-GCN pretrained by CMD on Kinetics-400 2-D
# keypoints (../cmd_stgcn_8xb8-80e_k400-keypoint-2d.py), fine-tuned whole
# on NTU-60 cross-subject 2-D keypoints (same COCO-17 layout, same
# channels: x, y, score).
#   python tools/train.py THIS_CONFIG
_base_ = [
    '../../_base_/models/stgcn_linear.py',
    '../../_base_/datasets/ntu60-xsub-2d_linear.py',
    '../../_base_/schedules/finetune_sgd-80e.py',
    '../../_base_/linear_runtime.py'
]

model = dict(
    frozen=False,
    pretrained='work_dirs/cmd_stgcn_8xb8-80e_k400-keypoint-2d/epoch_80.pth')
