# PKU-MMD I cross-subject: NTU's 25-joint layout, two persons, NTU's split
# names and pipelines.
#   python tools/data/pku_to_pkl.py --part 1 --src PKU-MMD-v1 --out data/skeleton/pku1_3d.pkl
_base_ = './ntu60-xsub_ssl.py'

train_dataloader = dict(dataset=dict(ann_file='data/skeleton/pku1_3d.pkl'))
val_dataloader = dict(dataset=dict(ann_file='data/skeleton/pku1_3d.pkl'))
test_dataloader = val_dataloader
