# PKU-MMD II cross-subject (NTU's 25-joint layout, two persons).
#   python tools/data/pku_to_pkl.py --src PKU-MMDv2 --out data/skeleton/pku2_3d.pkl
_base_ = './ntu60-xsub_ssl.py'

train_dataloader = dict(
    dataset=dict(ann_file='data/skeleton/pku2_3d.pkl', split='xsub_train'))
val_dataloader = dict(
    dataset=dict(
        ann_file='data/skeleton/pku2_3d.pkl',
        reference_split='xsub_train',
        query_split='xsub_val'))
test_dataloader = val_dataloader
