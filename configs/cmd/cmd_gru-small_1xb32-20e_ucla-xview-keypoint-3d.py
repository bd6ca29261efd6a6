# The NW-UCLA CPU recipe with the paper's kind of encoder instead of the
# narrow ST-GCN (the recipe search of docs/benchmarks.md): the paper GRU of
# ../_base_/models/cmd_gru.py cut to 2 layers of two forward cells of 32
# (64-d feature) on NW-UCLA's 20 joints and 1 person, everything else as in
# the ST-GCN recipe.
_base_ = './cmd_stgcn-tiny_1xb32-20e_ucla-xview-keypoint-3d.py'
from mmengine.config import Config as __Config  # noqa: E402

__gru = __Config.fromfile(
    '{{ fileDirname }}/../_base_/models/cmd_gru.py').model.backbone

model = dict(
    backbone=dict(__gru, _delete_=True, hidden_size=32, num_layers=2),
    neck=dict(in_channels=64, hid_channels=64, xavier_out=True))
