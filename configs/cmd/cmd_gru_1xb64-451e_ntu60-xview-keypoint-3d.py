# CMD, paper GRU encoder, NTU-60 cross-view (cameras 2, 3 train).
_base_ = './cmd_gru_1xb64-451e_ntu60-xsub-keypoint-3d.py'

train_split = 'xview_train'
val_split = 'xview_val'
train_dataloader = dict(dataset=dict(split=train_split))
val_dataloader = dict(
    dataset=dict(
        reference=dict(split=train_split), query=dict(split=val_split)))
test_dataloader = val_dataloader
