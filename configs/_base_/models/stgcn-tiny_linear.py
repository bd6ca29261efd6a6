# Linear evaluation of the narrow ST-GCN of the CPU recipes (16-d feature).
_base_ = './stgcn_linear.py'

model = dict(
    backbone=dict(
        base_channels=8, num_stages=3, inflate_stages=[2], down_stages=[2]),
    cls_head=dict(in_channels=16))
