# SCD-Net at its published size and schedule on ntu120-xsub, 2-D keypoints
# (MMAction2's HRNet COCO-17 pickle): one GPU, batch 64, the joint modality,
# SCD-Net's own views (docs/scdnet.md §4) in the image plane (the rotation
# turns about the image normal; masks zero the score with the joint;
# docs/keypoints-2d.md). 1-NN of the last checkpoint: tools/test.py.
#   python tools/train.py configs/scdnet/scdnet_ctrgcn_1xb64-451e_ntu120-xsub-keypoint-2d.py
_base_ = [
    '../_base_/models/scdnet_ctrgcn.py',
    '../_base_/datasets/ntu120-xsub-2d_ssl.py',
    '../_base_/pipelines/scdnet_pretrain.py',
    '../_base_/schedules/scdnet_sgd-451e.py', '../_base_/default_runtime.py'
]

train_pipeline = {{_base_.scdnet_train_pipeline}}
train_dataloader = dict(batch_size=64, dataset=dict(pipeline=train_pipeline))
default_hooks = dict(checkpoint=dict(save_best='knn/joint'))
