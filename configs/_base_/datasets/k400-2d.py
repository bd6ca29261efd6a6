# The dataset block of Kinetics-400, 2-D COCO-17 keypoints of pose
# estimates (about 240k training clips) as a keypoint store: a table of
# contents plus one memory-mapped array that every rank and DataLoader
# worker of a node shares (a whole pickle of this size costs ~56 GiB of host
# memory per rank; docs/benchmarks.md, "Kinetics-400-sized 2-D pretraining
# data"). Made from pyskl's / MMAction2's Kinetics skeletons (k400_hrnet.pkl
# plus its kpfiles):
#   python tools/data/make_keypoint_store.py --src data/k400/k400_hrnet.pkl \
#       --kpfiles data/k400/kpfiles --out data/skeleton/k400_2d.pkl
# or from your own MMPose output: tools/data/poses_to_pkl.py ... --keypoint-store
skeleton_data = dict(
    ann_file='data/skeleton/k400_2d.pkl',
    train_split='train',
    val_split='val',
    layout='coco',
    num_person=2,
    clip_len=64,
    min_crop_length=64,
    num_classes=400)
