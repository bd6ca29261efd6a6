# CMD pretraining on NTU RGB+D 60 cross-subject, 2-D keypoints (MMAction2's
# HRNet COCO-17 pickle; the score is the third channel), MMAction2's ST-GCN
# as every stream's encoder (its 2-D and 3-D recipes share the backbone
# settings; layout and in_channels follow the data), the published schedule,
# global batch 64 as 8 GPUs x 8.
#   tools/dist_train.sh configs/cmd/cmd_stgcn_8xb8-451e_ntu60-xsub-keypoint-2d.py 8
_base_ = [
    '../_base_/models/cmd_stgcn.py', '../_base_/datasets/ntu60-xsub-2d_ssl.py',
    '../_base_/schedules/cmd_sgd-451e.py', '../_base_/default_runtime.py'
]

train_dataloader = dict(batch_size=8)
# Batch statistics over the global batch of 64, as on the authors' one GPU.
sync_bn = 'torch'
