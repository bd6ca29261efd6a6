# CMD, paper GRU encoder, NTU-120 cross-subject.
_base_ = './cmd_gru_1xb64-451e_ntu60-xsub-keypoint-3d.py'

ann_file = 'data/skeleton/ntu120_3d.pkl'
train_dataloader = dict(dataset=dict(ann_file=ann_file))
val_dataloader = dict(
    dataset=dict(
        reference=dict(ann_file=ann_file), query=dict(ann_file=ann_file)))
test_dataloader = val_dataloader
