# The bone stream of the same pretraining (see the joint config).
_base_ = './cmd_stgcn-tiny_linear-joint_1xb32-80e_synthetic-keypoint-3d.py'

model = dict(stream='bone')
