# Raw-coordinate linear baseline on NW-UCLA projected to (x, y) (x, y,
# score per joint): the NW-UCLA baseline on the ucla-xview-xy-2d block. The
# stream is an option (default joint): --cfg-options model.stream=motion
_base_ = './raw-coordinates_linear-cached_1xb64-80e_ucla-xview-keypoint-3d.py'

skeleton_data = 'configs/_base_/datasets/ucla-xview-xy-2d.py'
