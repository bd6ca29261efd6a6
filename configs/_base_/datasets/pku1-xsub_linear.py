# PKU-MMD I cross-subject, labelled.
_base_ = './ntu60-xsub_linear.py'

train_dataloader = dict(dataset=dict(ann_file='data/skeleton/pku1_3d.pkl'))
val_dataloader = dict(dataset=dict(ann_file='data/skeleton/pku1_3d.pkl'))
test_dataloader = val_dataloader
