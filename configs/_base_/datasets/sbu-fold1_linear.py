# SBU Kinect Interaction fold 1, labelled: its data settings on the NTU
# protocol (see sbu-fold1_ssl.py).
_base_ = './ntu60-xsub_linear.py'

__sbu = dict(ann_file='data/skeleton/sbu.pkl', layout='sbu', num_person=2,
             clip_len=32)  # __: not part of the config
train_dataloader = dict(
    dataset=dict(split='fold1_train', min_crop_length=16, **__sbu))
val_dataloader = dict(dataset=dict(split='fold1_val', **__sbu))
test_dataloader = val_dataloader
