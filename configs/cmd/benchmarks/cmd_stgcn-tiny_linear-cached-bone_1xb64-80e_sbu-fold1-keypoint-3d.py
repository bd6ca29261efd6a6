# The bone stream of the same pretraining (see the joint config).
_base_ = './cmd_stgcn-tiny_linear-cached-joint_1xb64-80e_sbu-fold1-keypoint-3d.py'

model = dict(stream='bone')
