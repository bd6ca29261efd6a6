# CMD with the paper's own encoder (docs/cmd.md §7), the
# setting of its published numbers: 3-layer GRU, two forward cells of 1024
# per layer, 2048-d feature, projection 2048-2048-128.
_base_ = './cmd_stgcn.py'

model = dict(
    backbone=dict(
        _delete_=True,
        type='GRUEncoder',
        hidden_size=1024,
        num_layers=3,
        direction='paired_forward'),
    neck=dict(
        in_channels=2048, hid_channels=2048, out_channels=128,
        xavier_out=True))
