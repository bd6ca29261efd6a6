# Linear evaluation of the paper's GRU encoder (2048-d feature), the
# protocol of CMD's published numbers.
_base_ = './stgcn_linear.py'

model = dict(
    backbone=dict(_delete_=True, type='GRUEncoder', hidden_size=1024,
                  num_layers=3, direction='paired_forward'),
    cls_head=dict(in_channels=2048))
