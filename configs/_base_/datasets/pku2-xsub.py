# PKU-MMD II cross-subject: NTU's 25-joint layout, two persons, NTU's split
# names and clip settings, 51 classes.
#   python tools/data/pku_to_pkl.py --src PKU-MMD-v2 --out data/skeleton/pku2_3d.pkl
_base_ = './ntu60-xsub.py'

skeleton_data = dict(ann_file='data/skeleton/pku2_3d.pkl', num_classes=51)
