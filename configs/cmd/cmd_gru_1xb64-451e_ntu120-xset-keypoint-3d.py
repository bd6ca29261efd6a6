# CMD, paper GRU encoder, ntu120-xset (data: configs/_base_/datasets/ntu120-xset_ssl.py).
_base_ = [
    '../_base_/models/cmd_gru.py', '../_base_/datasets/ntu120-xset_ssl.py',
    '../_base_/schedules/cmd_sgd-451e.py', '../_base_/default_runtime.py'
]

train_dataloader = dict(batch_size=64)
