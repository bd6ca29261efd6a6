# Linear evaluation (and fine-tuning) for any dataset block: the training
# split with a mild temporal crop, the validation split centre-cropped, top-1
# and top-5. The pretraining protocol's pipelines; the data comes from the
# block (`skeleton_data`).
_base_ = './pretrain_knn.py'

train_pipeline = [
    dict(type='PreNormalizeSkeleton'),
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
        pipeline={{_base_.val_pipeline}},
        test_mode=True))
test_dataloader = val_dataloader
val_evaluator = [dict(type='AccMetric')]
test_evaluator = val_evaluator
