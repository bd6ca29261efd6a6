# CMD with a narrow ST-GCN (8 base channels, 3 stages, 16-d feature), sized
# for a 2-core CPU: the demo and the CPU benchmarks.
_base_ = './cmd_stgcn.py'

model = dict(
    backbone=dict(
        base_channels=8, num_stages=3, inflate_stages=[2], down_stages=[2]),
    neck=dict(in_channels=16, hid_channels=16))
