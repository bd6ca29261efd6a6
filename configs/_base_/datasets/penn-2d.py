# The dataset block of Penn Action (2,326 YouTube clips, 15 actions, 13
# hand-annotated 2-D joints: COCO-17's body joints, head for nose): the
# pickle records its 13-joint layout (a definition), so the block states
# none; the dataset's own train/test split.
#   python tools/data/penn_to_pkl.py --src ../shared/data/penn-action \
#       --out data/skeleton/penn.pkl
skeleton_data = dict(
    ann_file='data/skeleton/penn.pkl',
    train_split='train',
    val_split='test',
    num_person=1,
    clip_len=32,
    min_crop_length=16,
    num_classes=15)
