# CMD with the paper's GRU encoder on NTU-60 cross-subject: the setting of
# the published numbers, one GPU, batch 64.
#   python tools/train.py configs/cmd/cmd_gru_1xb64-451e_ntu60-xsub-keypoint-3d.py
_base_ = [
    '../_base_/models/cmd_gru.py', '../_base_/datasets/ntu60-xsub_ssl.py',
    '../_base_/schedules/cmd_sgd-451e.py', '../_base_/default_runtime.py'
]

train_dataloader = dict(batch_size=64)
