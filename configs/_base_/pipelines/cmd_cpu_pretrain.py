# CMD's two views at the CPU recipe's strength (docs/benchmarks.md, "The
# CPU recipe"), for any dataset: layout, clip length and shortest crop
# follow the dataset. A config takes it with
#   train_pipeline = {{_base_.cmd_cpu_train_pipeline}}
#   train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
# Each view: temporal crop-resize (s ~ U[0.1, 1]), then shear with entries
# ~ U(-0.5, 0.5) or corruption of 30% of the joints, with probability 0.5
# each. The published strength (shear 1.0, 60% of the joints) leaves a
# 32-d encoder on ~1,000 clips unable to tell a clip from 224 others
# (InfoNCE 90% of chance, measured); crops alone are learned but teach no
# invariance to the view.
cmd_cpu_train_pipeline = [
    dict(type='PreNormalizeSkeleton'),
    dict(
        type='MultiView',
        num_views=2,
        transforms=[
            dict(type='TemporalCropResize', scale_range=(0.1, 1.0)),
            dict(
                type='RandomChooseOne',
                transforms=[
                    dict(type='Shear', magnitude=0.5),
                    dict(type='JointCorruption', ratio=0.3, zero_prob=0.5),
                ],
                prob=[0.5, 0.5]),
            dict(type='FormatGCNInput'),
        ]),
    dict(type='PackActionInputs')
]
