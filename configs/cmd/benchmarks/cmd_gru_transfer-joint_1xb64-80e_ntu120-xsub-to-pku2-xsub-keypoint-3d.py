# Transfer: the encoder pretrained on NTU-120 xsub (the joint stream of
# configs/cmd/cmd_gru_1xb64-451e_ntu120-xsub-keypoint-3d.py, read from its
# default work dir) fine-tuned on PKU-MMD II xsub, as from NTU-60.
_base_ = './cmd_gru_transfer-joint_1xb64-80e_ntu60-xsub-to-pku2-xsub-keypoint-3d.py'  # noqa: E501

model = dict(pretrained='work_dirs/cmd_gru_1xb64-451e_ntu120-xsub-keypoint-3d/'
             'epoch_451.pth')
