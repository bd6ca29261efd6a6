# The bone stream of the same pretraining (see the joint config).
_base_ = './cmd_stgcn_linear-joint_1xb64-80e_ntu60-xview-keypoint-3d.py'

model = dict(stream='bone')
