# The bone stream of the same pretraining (see the joint config).
_base_ = './cmd_gru-small_linear-cached-joint_1xb64-80e_ucla-xview-keypoint-3d.py'

model = dict(stream='bone')
