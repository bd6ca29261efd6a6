# The NW-UCLA CPU recipe unchanged on NW-UCLA seen by an orthographic
# camera: (x, y) pixels of one fixed frame plus score 1, MMAction2's 2-D head
# chosen by the data's layout (PreNormalizeSkeleton), the recipe's views in
# the image plane. The second real 2-D check beside Penn Action.
#   python tools/data/project_to_2d.py --src data/skeleton/ucla.pkl \
#       --out data/skeleton/ucla-xy.pkl
#   python tools/train.py configs/cmd/cmd_stgcn-tiny32_1xb32-60e_ucla-xview-keypoint-2d.py
_base_ = './cmd_stgcn-tiny32_1xb32-60e_ucla-xview-keypoint-3d.py'

skeleton_data = 'configs/_base_/datasets/ucla-xview-xy-2d.py'
