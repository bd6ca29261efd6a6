# NTU RGB+D 120 cross-subject: NTU-60's settings, 120 classes.
#   python tools/data/ntu_to_pkl.py ... --dataset ntu120 --out data/skeleton/ntu120_3d.pkl
_base_ = './ntu60-xsub.py'

skeleton_data = dict(ann_file='data/skeleton/ntu120_3d.pkl', num_classes=120)
