# CMD (ECCV 2022) pretraining on NTU RGB+D 60 cross-subject with MMAction2's
# ST-GCN as the encoder of every modality (joint, motion, bone), the
# published schedule, global batch 64 as 8 GPUs x 8.
#   tools/dist_train.sh configs/cmd_ntu60.py 8
_base_ = [
    '../_base_/models/cmd_stgcn.py', '../_base_/datasets/ntu60-xsub_ssl.py',
    '../_base_/schedules/cmd_sgd-451e.py', '../_base_/default_runtime.py'
]

train_dataloader = dict(batch_size=8)
# Batch statistics over the global batch of 64, as on the authors' one GPU.
sync_bn = 'torch'
