# The dataset block of NTU RGB+D 60 cross-view, 2-D (as ntu60-xsub-2d.py).
#   wget https://download.openmmlab.com/mmaction/v1.0/skeleton/data/ntu60_2d.pkl \
#       -P data/skeleton/
skeleton_data = dict(
    ann_file='data/skeleton/ntu60_2d.pkl',
    train_split='xview_train',
    val_split='xview_val',
    layout='coco',
    num_person=2,
    clip_len=64,
    min_crop_length=64,
    num_classes=60)
