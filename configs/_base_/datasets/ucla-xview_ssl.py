# NW-UCLA cross-view (views 1, 2 train / 3 test): the 20-joint Kinect v1
# layout, one person, ~40-frame clips (clip length 32, crops of at least
# 16 frames); otherwise the NTU pipelines.
#   python tools/data/ucla_to_pkl.py --src ../shared/data/nw-ucla --out data/skeleton/ucla.pkl
_base_ = './ntu60-xsub_ssl.py'

__ucla = dict(ann_file='data/skeleton/ucla.pkl', layout='nw-ucla',
              num_person=1, clip_len=32)  # __: not part of the config
train_dataloader = dict(
    dataset=dict(split='xview_train', min_crop_length=16, **__ucla))
val_dataloader = dict(
    dataset=dict(reference_split='xview_train', query_split='xview_val',
                 **__ucla))
test_dataloader = val_dataloader
