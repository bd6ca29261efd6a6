# CMD pretraining on Kinetics-400 2-D keypoints (COCO-17 pose estimates,
# ~240k clips), MMAction2's ST-GCN per stream, global batch 64 as 8 x 8.
# 80 epochs: about the iterations of the published 451-epoch NTU-60 xsub
# schedule (240k x 80 / 64 = 300k against 282k); lr x0.1 at the same share
# of the run (epoch 62). Memory and time at this size: docs/benchmarks.md,
# "Kinetics-400-sized 2-D pretraining data" (host RAM per rank is the limit
# of the one-pickle format). Transfer to NTU-60 2-D:
# configs/cmd/benchmarks/cmd_stgcn_transfer-joint_1xb64-80e_k400-to-ntu60-xsub-keypoint-2d.py
#   tools/dist_train.sh configs/cmd/cmd_stgcn_8xb8-80e_k400-keypoint-2d.py 8
_base_ = [
    '../_base_/models/cmd_stgcn.py', '../_base_/datasets/k400-2d_ssl.py',
    '../_base_/schedules/cmd_sgd-451e.py', '../_base_/default_runtime.py'
]

train_dataloader = dict(batch_size=8)
sync_bn = 'torch'
train_cfg = dict(max_epochs=80)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[62], gamma=0.1, by_epoch=True)
]
