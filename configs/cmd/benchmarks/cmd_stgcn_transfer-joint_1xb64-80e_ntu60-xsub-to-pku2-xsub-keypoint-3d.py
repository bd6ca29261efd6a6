# Transfer: the encoder pretrained on ntu60-xsub (the joint stream of
# configs/cmd/cmd_stgcn_8xb8-451e_ntu60-xsub-keypoint-3d.py, read from its default work dir; another checkpoint
# with --cfg-options model.pretrained=PATH) fine-tuned on PKU-MMD II xsub.
_base_ = [
    '../../_base_/models/stgcn_linear.py',
    '../../_base_/datasets/pku2-xsub_linear.py',
    '../../_base_/schedules/finetune_sgd-80e.py',
    '../../_base_/linear_runtime.py'
]

model = dict(
    frozen=False,
    pretrained='work_dirs/cmd_stgcn_8xb8-451e_ntu60-xsub-keypoint-3d/epoch_451.pth')
