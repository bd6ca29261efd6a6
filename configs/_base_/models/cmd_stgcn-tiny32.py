# The CPU recipe's encoder (docs/benchmarks.md, "The CPU recipe"): the
# narrow ST-GCN at 16 base channels (32-d feature per stream) and a faster
# key encoder, m = 0.99: at the published 0.999 the key encoder averages
# over ~1,000 iterations, more than a CPU budget runs.
_base_ = './cmd_stgcn-tiny.py'

model = dict(
    backbone=dict(base_channels=16),
    neck=dict(in_channels=32, hid_channels=32),
    ema_momentum=0.01)
