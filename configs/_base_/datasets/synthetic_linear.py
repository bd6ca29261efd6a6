# The synthetic skeletons, labelled (the demo's linear evaluation).
_base_ = './ntu60-xsub_linear.py'

__synthetic = dict(
    ann_file='{{$CMD_DEMO_ANN_FILE:data/synthetic/synthetic.pkl}}',
    clip_len=32)  # __: not part of the config
__loader = dict(num_workers=0, persistent_workers=False)
train_dataloader = dict(
    batch_size=32, **__loader,
    dataset=dict(split='train', min_crop_length=16, **__synthetic))
val_dataloader = dict(**__loader, dataset=dict(split='val', **__synthetic))
test_dataloader = val_dataloader
