# The dataset block of Kinetics-400, 2-D COCO-17 keypoints of pose
# estimates (about 240k training clips) as one annotation pickle, e.g. made
# from MMPose output with tools/data/poses_to_pkl.py. MMAction2 ships its
# Kinetics skeletons in a split layout (annotations without keypoints plus
# keypoint files) that SkeletonDataset does not read yet, and a whole
# pickle of this size costs ~56 GiB of host memory per rank
# (docs/benchmarks.md, "Kinetics-400-sized 2-D pretraining data").
skeleton_data = dict(
    ann_file='data/skeleton/k400_2d.pkl',
    train_split='train',
    val_split='val',
    layout='coco',
    num_person=2,
    clip_len=64,
    min_crop_length=64,
    num_classes=400)
