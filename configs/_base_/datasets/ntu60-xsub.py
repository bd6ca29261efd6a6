# The dataset block of NTU RGB+D 60 cross-subject: stated once, read by
# every protocol (configs/_base_/protocols/). MMAction2's NTU pickles record
# no layout, so the block states it.
#   python tools/data/ntu_to_pkl.py --src nturgb+d_skeletons --dataset ntu60 \
#       --ignore-list NTU_RGBD_samples_with_missing_skeletons.txt \
#       --out data/skeleton/ntu60_3d.pkl
skeleton_data = dict(
    ann_file='data/skeleton/ntu60_3d.pkl',
    train_split='xsub_train',
    val_split='xsub_val',
    layout='nturgb+d',
    num_person=2,
    clip_len=64,
    min_crop_length=64,
    num_classes=60)
