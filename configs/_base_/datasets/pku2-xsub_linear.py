# PKU-MMD II cross-subject, labelled (also the transfer target).
_base_ = './ntu60-xsub_linear.py'

train_dataloader = dict(dataset=dict(ann_file='data/skeleton/pku2_3d.pkl'))
val_dataloader = dict(dataset=dict(ann_file='data/skeleton/pku2_3d.pkl'))
test_dataloader = val_dataloader
