# NTU RGB+D 60 cross-subject, labelled, for linear evaluation and
# fine-tuning (docs/evaluation.md): training input a random crop-resize with
# s ~ U[0.5, 1] (at least the clip length), evaluation the centre crop of
# pretraining; top-1/top-5 on the validation split.
_base_ = './ntu60-xsub_ssl.py'

train_pipeline = [
    dict(type='PreNormalize2sAGCN'),
    dict(type='TemporalCropResize', scale_range=(0.5, 1.0)),
    dict(type='FormatGCNInput'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(
    batch_size=64, drop_last=False, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='SkeletonDataset',
        ann_file='data/skeleton/ntu60_3d.pkl',
        split='xsub_val',
        layout='nturgb+d',
        num_person=2,
        clip_len=64,
        pipeline={{_base_.val_pipeline}},
        test_mode=True))
test_dataloader = val_dataloader
val_evaluator = [dict(type='AccMetric')]
test_evaluator = val_evaluator
