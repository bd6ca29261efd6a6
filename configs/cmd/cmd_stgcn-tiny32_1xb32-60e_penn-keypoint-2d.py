# The NW-UCLA CPU recipe unchanged on real 2-D data: Penn Action's
# hand-annotated joints (1,258 training / 1,068 test clips), MMAction2's 2-D
# head chosen by the data's layout (PreNormalizeSkeleton), the recipe's
# views in the image plane.
#   python tools/data/penn_to_pkl.py --src ../shared/data/penn-action \
#       --out data/skeleton/penn.pkl
#   python tools/train.py configs/cmd/cmd_stgcn-tiny32_1xb32-60e_penn-keypoint-2d.py
_base_ = './cmd_stgcn-tiny32_1xb32-60e_ucla-xview-keypoint-3d.py'

skeleton_data = 'configs/_base_/datasets/penn-2d.py'
# the recipe's queue rule: the largest multiple of the batch within a
# quarter of the training clips (288 of 1,258)
model = dict(queue_size=288)
