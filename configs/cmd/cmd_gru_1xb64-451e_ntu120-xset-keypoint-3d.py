# CMD, paper GRU encoder, NTU-120 cross-setup (even setups train).
_base_ = './cmd_gru_1xb64-451e_ntu120-xsub-keypoint-3d.py'

train_split = 'xset_train'
val_split = 'xset_val'
train_dataloader = dict(dataset=dict(split=train_split))
val_dataloader = dict(
    dataset=dict(
        reference=dict(split=train_split), query=dict(split=val_split)))
test_dataloader = val_dataloader
