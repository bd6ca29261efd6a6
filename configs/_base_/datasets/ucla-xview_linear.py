# NW-UCLA cross-view, labelled: its data settings on the NTU protocol.
_base_ = './ntu60-xsub_linear.py'

__ucla = dict(ann_file='data/skeleton/ucla.pkl', layout='nw-ucla',
              num_person=1, clip_len=32)  # __: not part of the config
train_dataloader = dict(
    dataset=dict(split='xview_train', min_crop_length=16, **__ucla))
val_dataloader = dict(dataset=dict(split='xview_val', **__ucla))
test_dataloader = val_dataloader
