# NTU RGB+D 120 cross-subject: NTU-60's layout, splits and pipelines.
#   python tools/data/ntu_to_pkl.py --src nturgb+d_skeletons --dataset ntu120 \
#       --ignore-list NTU_RGBD120_samples_with_missing_skeletons.txt \
#       --out data/skeleton/ntu120_3d.pkl
_base_ = './ntu60-xsub_ssl.py'

train_dataloader = dict(dataset=dict(ann_file='data/skeleton/ntu120_3d.pkl'))
val_dataloader = dict(dataset=dict(ann_file='data/skeleton/ntu120_3d.pkl'))
test_dataloader = val_dataloader
