# NTU RGB+D 60 cross-view, labelled (cameras 2 and 3 train).
_base_ = './ntu60-xsub_linear.py'

train_dataloader = dict(dataset=dict(split='xview_train'))
val_dataloader = dict(dataset=dict(split='xview_val'))
test_dataloader = val_dataloader
