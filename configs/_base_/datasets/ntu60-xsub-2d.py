# The dataset block of NTU RGB+D 60 cross-subject, 2-D: MMAction2's HRNet
# COCO-17 keypoints (keypoint (M, T, 17, 2) pixels of the 1920x1080 frames,
# keypoint_score, img_shape), as its -keypoint-2d ST-GCN configs read them.
# The pickle records no layout, so the block states it.
#   wget https://download.openmmlab.com/mmaction/v1.0/skeleton/data/ntu60_2d.pkl \
#       -P data/skeleton/
skeleton_data = dict(
    ann_file='data/skeleton/ntu60_2d.pkl',
    train_split='xsub_train',
    val_split='xsub_val',
    layout='coco',
    num_person=2,
    clip_len=64,
    min_crop_length=64,
    num_classes=60)
