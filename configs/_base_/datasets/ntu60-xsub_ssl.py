# NTU RGB+D 60 cross-subject for self-supervised pretraining, with the kNN
# monitor: reference = the labelled training split, query = the validation
# split, both centre-cropped. Layout, persons, clip length and shortest crop
# are set on the datasets; the transforms that need them follow.
#   python tools/data/ntu_to_pkl.py --src nturgb+d_skeletons --dataset ntu60 \
#       --ignore-list NTU_RGBD_samples_with_missing_skeletons.txt \
#       --out data/skeleton/ntu60_3d.pkl

# Two views, each: temporal crop-resize (s ~ U[0.1, 1]), then shear or
# joint corruption (60% of the joints: 15 of 25), with probability 0.5 each.
train_pipeline = [
    dict(type='PreNormalize2sAGCN'),
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
    dict(type='PreNormalize2sAGCN'),
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
    dataset=dict(
        type='SkeletonDataset',
        ann_file='data/skeleton/ntu60_3d.pkl',
        split='xsub_train',
        layout='nturgb+d',
        num_person=2,
        clip_len=64,
        min_crop_length=64,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='KNNEvalDataset',
        ann_file='data/skeleton/ntu60_3d.pkl',
        reference_split='xsub_train',
        query_split='xsub_val',
        layout='nturgb+d',
        num_person=2,
        clip_len=64,
        pipeline=val_pipeline))
test_dataloader = val_dataloader  # test_pipeline is val_pipeline
# The monitor during pretraining is cheaper than the final test: a fixed,
# class-stratified 10,000-clip reference (with kNN every 5 epochs, about 3%
# of NTU pretraining time; docs/benchmarks.md). tools/test.py uses the full
# sets of test_dataloader.
val_dataloader = dict(
    val_dataloader, dataset=dict(val_dataloader['dataset'],
                                 max_reference=10000))
val_evaluator = [dict(type='KNNAccuracy')]
test_evaluator = val_evaluator
