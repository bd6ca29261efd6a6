# The dataset block of the embedded synthetic NTU-25 skeletons (make demo):
# two persons, 32-frame clips, crops of at least 16 frames. The pickle
# records its layout and class count. The path can be set with
# $CMD_DEMO_ANN_FILE.
#   python tools/data/make_synthetic.py --out data/synthetic/synthetic.pkl
skeleton_data = dict(
    ann_file='{{$CMD_DEMO_ANN_FILE:data/synthetic/synthetic.pkl}}',
    train_split='train',
    val_split='val',
    num_person=2,
    clip_len=32,
    min_crop_length=16)
