# The dataset block of the synthetic skeletons filmed in 2-D: the motions of
# ./synthetic.py as COCO-17 keypoints in pixels of a 1920x1080 camera, with
# keypoint_score and img_shape (MMAction2's 2-D pickle): two persons,
# 32-frame clips, crops of at least 16 frames. The pickle records its layout
# ('coco') and class count; the encoders' in_channels follow it (x, y,
# score: 3); every pipeline's PreNormalizeSkeleton takes MMAction2's 2-D
# head for it (image-size scaling, the score as a channel). The path can be
# set with $CMD_DEMO_2D_ANN_FILE.
#   python tools/data/make_synthetic.py --2d \
#       --out data/synthetic/synthetic-2d.pkl
skeleton_data = dict(
    ann_file='{{$CMD_DEMO_2D_ANN_FILE:data/synthetic/synthetic-2d.pkl}}',
    train_split='train',
    val_split='val',
    num_person=2,
    clip_len=32,
    min_crop_length=16)
