# The motion stream of the same pretraining (see the joint config).
_base_ = './cmd_gru_linear-joint_1xb64-80e_pku2-xsub-keypoint-3d.py'

model = dict(stream='motion')
