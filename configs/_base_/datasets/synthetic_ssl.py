# The embedded synthetic NTU-25 skeletons (make demo), 32-frame clips,
# crops of at least 16 frames, loaded in the main process (2-core machines).
# The path can be set with $CMD_DEMO_ANN_FILE.
#   python tools/data/make_synthetic.py --out data/synthetic/synthetic.pkl
_base_ = './ntu60-xsub_ssl.py'

train_dataloader = dict(
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        ann_file='{{$CMD_DEMO_ANN_FILE:data/synthetic/synthetic.pkl}}',
        split='train',
        clip_len=32,
        min_crop_length=16))
val_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        ann_file='{{$CMD_DEMO_ANN_FILE:data/synthetic/synthetic.pkl}}',
        reference_split='train',
        query_split='val',
        clip_len=32))
test_dataloader = val_dataloader
