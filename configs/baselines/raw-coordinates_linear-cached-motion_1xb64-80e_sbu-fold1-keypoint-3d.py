# The motion stream of the raw-coordinate baseline (see the joint config).
_base_ = './raw-coordinates_linear-cached-joint_1xb64-80e_sbu-fold1-keypoint-3d.py'

model = dict(stream='motion')
