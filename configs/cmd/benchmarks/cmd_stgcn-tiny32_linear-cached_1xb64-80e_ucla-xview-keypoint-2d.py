# Linear evaluation of the CPU recipe's encoder on NW-UCLA projected to
# (x, y) (2-D keypoints): the NW-UCLA protocol on the ucla-xview-xy-2d block.
# The stream and the checkpoint are options:
#   --cfg-options model.stream=motion model.pretrained=work_dirs/RUN/epoch_60.pth
_base_ = './cmd_stgcn-tiny32_linear-cached_1xb64-80e_ucla-xview-keypoint-3d.py'

skeleton_data = 'configs/_base_/datasets/ucla-xview-xy-2d.py'
