# SBU Kinect Interaction, fold 1 of its 5-fold protocol (train on folds
# 2-5, 227 clips; test on fold 1, 55): two persons, the 15-joint OpenNI
# layout, 10-46-frame clips (clip length 32, crops of at least 16 frames,
# as NW-UCLA); otherwise the NTU pipelines. Other folds: split names
# fold<k>_train / fold<k>_val.
#   python tools/data/sbu_to_pkl.py --src ../shared/data/sbu-interaction --out data/skeleton/sbu.pkl
_base_ = './ntu60-xsub_ssl.py'

__sbu = dict(ann_file='data/skeleton/sbu.pkl', layout='sbu', num_person=2,
             clip_len=32)  # __: not part of the config
train_dataloader = dict(
    dataset=dict(split='fold1_train', min_crop_length=16, **__sbu))
val_dataloader = dict(
    dataset=dict(reference_split='fold1_train', query_split='fold1_val',
                 **__sbu))
test_dataloader = val_dataloader
