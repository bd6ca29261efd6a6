# NTU RGB+D 60 cross-view (cameras 2 and 3 train), otherwise as xsub.
_base_ = './ntu60-xsub_ssl.py'

train_dataloader = dict(dataset=dict(split='xview_train'))
val_dataloader = dict(
    dataset=dict(reference_split='xview_train', query_split='xview_val'))
test_dataloader = val_dataloader
