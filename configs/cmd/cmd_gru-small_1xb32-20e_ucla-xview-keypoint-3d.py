# The NW-UCLA CPU recipe with the paper's kind of encoder instead of the
# narrow ST-GCN (the recipe search of docs/benchmarks.md): a 2-layer GRU of
# two forward cells of 32 per layer (64-d feature), everything else as in
# the ST-GCN recipe.
_base_ = './cmd_stgcn-tiny_1xb32-20e_ucla-xview-keypoint-3d.py'

model = dict(
    backbone=dict(
        _delete_=True,
        type='GRUEncoder',
        in_channels=3,
        num_joints=20,
        num_person=1,
        hidden_size=32,
        num_layers=2,
        direction='paired_forward'),
    neck=dict(in_channels=64, hid_channels=64, xavier_out=True))
