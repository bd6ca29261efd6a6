# The demo: CMD with a narrow ST-GCN on the synthetic skeletons, sized for a
# 2-core CPU (make demo). Data from tools/data/make_synthetic.py; the path
# can be set with $CMD_DEMO_ANN_FILE.
_base_ = './cmd_stgcn_8xb8-451e_ntu60-xsub-keypoint-3d.py'

clip_len = 32
min_crop_length = 16
queue_size = 256
ann_file = '{{$CMD_DEMO_ANN_FILE:data/synthetic/synthetic.pkl}}'
train_split = 'train'
val_split = 'val'
batch_size = 32
feat_channels = 16

model = dict(
    backbone=dict(
        base_channels=8, num_stages=3, inflate_stages=[2], down_stages=[2]),
    neck=dict(in_channels=feat_channels, hid_channels=feat_channels),
    queue_size=queue_size,
    distill_loss=dict(topk=queue_size // 2))

train_pipeline = [
    dict(type='PreNormalize2sAGCN', layout='nturgb+d'),
    dict(
        type='MultiView',
        num_views=2,
        transforms=[
            dict(
                type='TemporalCropResize',
                clip_len=clip_len,
                scale_range=(0.1, 1.0),
                min_length=min_crop_length),
            dict(
                type='RandomChooseOne',
                transforms=[
                    dict(type='Shear', magnitude=1.0),
                    dict(type='JointCorruption', num_joints=15,
                         zero_prob=0.5),
                ],
                prob=[0.5, 0.5]),
            dict(type='FormatGCNInput', num_person=2),
        ]),
    dict(type='PackActionInputs')
]
eval_pipeline = [
    dict(type='PreNormalize2sAGCN', layout='nturgb+d'),
    dict(type='CenterCropResize', clip_len=clip_len, ratio=0.95),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs')
]
loader = dict(num_workers=0, persistent_workers=False)
train_dataloader = dict(
    **loader,
    batch_size=batch_size,
    dataset=dict(
        ann_file=ann_file, split=train_split, pipeline=train_pipeline))
val_dataloader = dict(
    **loader,
    batch_size=64,
    dataset=dict(
        reference=dict(
            ann_file=ann_file, split=train_split, pipeline=eval_pipeline),
        query=dict(ann_file=ann_file, split=val_split,
                   pipeline=eval_pipeline)))
test_dataloader = val_dataloader

train_cfg = dict(max_epochs=20, val_interval=5)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[16], gamma=0.1, by_epoch=True)
]
optim_wrapper = dict(optimizer=dict(lr=0.05))
default_hooks = dict(
    checkpoint=dict(interval=5, max_keep_ckpts=1), logger=dict(interval=5))
sync_bn = None
randomness = dict(seed=0)
