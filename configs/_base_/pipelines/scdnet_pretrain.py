# SCD-Net's two pretraining views (docs/scdnet.md §4), for any
# dataset: layout, clip length and shortest crop follow the dataset. A method
# config takes it with
#   train_pipeline = {{_base_.scdnet_train_pipeline}}
#   train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
# Each view: temporal crop-resize (s ~ U[0.1, 1]), the modality, then
# rotation, left-right swap, shear, structural spatial mask (32% of the
# joints) and segment temporal mask, each with probability 0.5, drawn from
# the pipeline's own generator (ProbabilityApply).
__modality = 'joint'  # '__': not part of the config
__each_half_the_time = [
    dict(type='RandomAxisRotation'),
    dict(type='SwapLeftRight'),
    dict(type='Shear', magnitude=1.0),  # as CMD's
    dict(type='StructuralSpatialMask', ratio=0.32),
    dict(type='SegmentTemporalMask'),
]
__one_view = [
    dict(type='TemporalCropResize', scale_range=(0.1, 1.0)),
    dict(type='ToModality', modality=__modality),
] + [
    dict(type='ProbabilityApply', transforms=[t], prob=0.5)
    for t in __each_half_the_time
] + [dict(type='FormatGCNInput')]
scdnet_train_pipeline = [
    dict(type='PreNormalizeSkeleton'),
    dict(type='MultiView', num_views=2, transforms=__one_view),
    dict(type='PackActionInputs')
]
