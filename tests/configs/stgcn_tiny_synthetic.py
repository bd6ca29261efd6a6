# MMAction2's stock ST-GCN recipe, narrowed for a 2-core CPU test run on the
# synthetic data. The annotation file comes from $CMD_TEST_ANN_FILE.
_base_ = 'mmaction::skeleton/stgcn/stgcn_8xb16-joint-u100-80e_ntu60-xsub-keypoint-3d.py'  # noqa: E501

custom_imports = dict(imports=['cmd_plugin'], allow_failed_imports=False)

ann_file = '{{$CMD_TEST_ANN_FILE:data/synthetic/synthetic.pkl}}'
clip_len = 16
num_classes = 8

model = dict(
    backbone=dict(
        base_channels=8, num_stages=2, inflate_stages=[], down_stages=[]),
    cls_head=dict(num_classes=num_classes, in_channels=8))

train_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='GenSkeFeat', dataset='nturgb+d', feats=['j']),
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='GenSkeFeat', dataset='nturgb+d', feats=['j']),
    dict(
        type='UniformSampleFrames', clip_len=clip_len, num_clips=1,
        test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs')
]
loader = dict(batch_size=8, num_workers=0, persistent_workers=False)
train_dataloader = dict(
    **loader,
    dataset=dict(
        times=1,
        dataset=dict(
            ann_file=ann_file, pipeline=train_pipeline, split='train')))
val_dataloader = dict(
    **loader,
    dataset=dict(ann_file=ann_file, pipeline=test_pipeline, split='val'))
test_dataloader = dict(
    **loader,
    dataset=dict(ann_file=ann_file, pipeline=test_pipeline, split='val'))

train_cfg = dict(max_epochs=1)
param_scheduler = [dict(type='CosineAnnealingLR', T_max=1, by_epoch=True)]
default_hooks = dict(logger=dict(interval=1))
