# CMD with the paper's own encoder (cmd-spec §4), the setting of its
# published numbers: 3-layer GRU, two forward cells of 1024 per layer,
# 2048-d feature, projection 2048-2048-128; one GPU, batch 64, SGD lr 0.01,
# 451 epochs, lr x0.1 at 351.
#   python tools/train.py configs/cmd/cmd_gru_1xb64-451e_ntu60-xsub-keypoint-3d.py
_base_ = './cmd_stgcn_8xb8-451e_ntu60-xsub-keypoint-3d.py'

batch_size = 64
model = dict(
    backbone=dict(
        _delete_=True,
        type='GRUEncoder',
        in_channels=3,
        num_joints=25,
        num_person=2,
        hidden_size=1024,
        num_layers=3,
        direction='paired_forward'),
    neck=dict(
        in_channels=2048, hid_channels=2048, out_channels=128,
        xavier_out=True))
train_dataloader = dict(batch_size=batch_size)
sync_bn = None  # one GPU, as published
