# The dataset block of NW-UCLA cross-view (views 1, 2 train / 3 test): one
# person, ~40-frame clips (clip length 32, crops of at least 16 frames), 10
# classes. The pickle records its 20-joint Kinect v1 layout.
#   python tools/data/ucla_to_pkl.py --src ../shared/data/nw-ucla --out data/skeleton/ucla.pkl
skeleton_data = dict(
    ann_file='data/skeleton/ucla.pkl',
    train_split='xview_train',
    val_split='xview_val',
    num_person=1,
    clip_len=32,
    min_crop_length=16,
    num_classes=10)
