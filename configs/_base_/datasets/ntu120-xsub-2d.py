# The dataset block of NTU RGB+D 120 cross-subject, 2-D: MMAction2's HRNet
# COCO-17 keypoints (as ntu60-xsub-2d.py).
#   wget https://download.openmmlab.com/mmaction/v1.0/skeleton/data/ntu120_2d.pkl \
#       -P data/skeleton/
skeleton_data = dict(
    ann_file='data/skeleton/ntu120_2d.pkl',
    train_split='xsub_train',
    val_split='xsub_val',
    layout='coco',
    num_person=2,
    clip_len=64,
    min_crop_length=64,
    num_classes=120)
