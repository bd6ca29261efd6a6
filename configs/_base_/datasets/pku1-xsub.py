# PKU-MMD I cross-subject: NTU's 25-joint layout, two persons, NTU's split
# names and clip settings, 51 classes.
#   python tools/data/pku_to_pkl.py --part 1 --src PKU-MMD-v1 --out data/skeleton/pku1_3d.pkl
_base_ = './ntu60-xsub.py'

skeleton_data = dict(ann_file='data/skeleton/pku1_3d.pkl', num_classes=51)
