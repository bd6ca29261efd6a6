# The dataset block of NW-UCLA cross-view seen by an orthographic camera:
# the 3-D joints projected to (x, y) pixels of one fixed frame, score 1 per
# present joint (tools/data/project_to_2d.py), the second real 2-D check.
# The pickle records the projected layout (NW-UCLA's 20 joints,
# coord_dims=2); splits, clip length and classes as ucla-xview.py.
#   python tools/data/ucla_to_pkl.py --src ../shared/data/nw-ucla --out data/skeleton/ucla.pkl
#   python tools/data/project_to_2d.py --src data/skeleton/ucla.pkl --out data/skeleton/ucla-xy.pkl
_base_ = './ucla-xview.py'

skeleton_data = dict(ann_file='data/skeleton/ucla-xy.pkl')
