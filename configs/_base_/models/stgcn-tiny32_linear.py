# Linear evaluation of the CPU recipe's encoder (32-d feature).
_base_ = './stgcn-tiny_linear.py'

model = dict(backbone=dict(base_channels=16), cls_head=dict(in_channels=32))
