# The dataset block of SBU Kinect Interaction, fold 1 of its 5-fold protocol
# (train on folds 2-5, 227 clips; test on fold 1, 55): two persons,
# 10-46-frame clips (clip length 32, crops of at least 16 frames), 8
# classes. The pickle records its 15-joint layout. Other folds: split names
# fold<k>_train / fold<k>_val.
#   python tools/data/sbu_to_pkl.py --src ../shared/data/sbu-interaction --out data/skeleton/sbu.pkl
skeleton_data = dict(
    ann_file='data/skeleton/sbu.pkl',
    train_split='fold1_train',
    val_split='fold1_val',
    num_person=2,
    clip_len=32,
    min_crop_length=16,
    num_classes=8)
