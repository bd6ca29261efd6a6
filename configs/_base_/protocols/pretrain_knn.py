# Self-supervised pretraining with the kNN monitor, for any dataset block
# (configs/_base_/datasets/<name>.py, `skeleton_data`): the loaders state
# no data; the block's file, splits and settings are given to them when
# the run starts (cmd_plugin/launch/dataset_block.py). Reference = the
# labelled training split, query = the validation split, both
# centre-cropped.

# Two views, each: temporal crop-resize (s ~ U[0.1, 1]), then shear or
# joint corruption (60% of the joints: 15 of 25), with probability 0.5 each.
train_pipeline = [
    dict(type='PreNormalizeSkeleton'),
    dict(
        type='MultiView',
        num_views=2,
        transforms=[
            dict(type='TemporalCropResize', scale_range=(0.1, 1.0)),
            dict(
                type='RandomChooseOne',
                transforms=[
                    dict(type='Shear', magnitude=1.0),
                    dict(type='JointCorruption', ratio=0.6, zero_prob=0.5),
                ],
                prob=[0.5, 0.5]),
            dict(type='FormatGCNInput'),
        ]),
    dict(type='PackActionInputs')
]
# Centre crop of 95% of the valid frames, resized to the clip length.
val_pipeline = [
    dict(type='PreNormalizeSkeleton'),
    dict(type='CenterCropResize', ratio=0.95),
    dict(type='FormatGCNInput'),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline

train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    drop_last=True,  # queue alignment needs full batches
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='SkeletonDataset', pipeline=train_pipeline))
# The monitor during pretraining is cheaper than the final test: a fixed,
# class-stratified 10,000-clip reference (with kNN every 5 epochs, about 3%
# of NTU pretraining time; docs/benchmarks.md). tools/test.py uses the full
# sets of test_dataloader.
val_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='KNNEvalDataset', max_reference=10000, pipeline=val_pipeline))
test_dataloader = dict(
    val_dataloader,
    dataset=dict(type='KNNEvalDataset', pipeline=val_pipeline))
val_evaluator = [dict(type='KNNAccuracy')]
test_evaluator = val_evaluator
