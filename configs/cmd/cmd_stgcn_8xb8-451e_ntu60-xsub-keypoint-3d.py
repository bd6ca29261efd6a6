# CMD (ECCV 2022) pretraining on NTU RGB+D 60 cross-subject with MMAction2's
# ST-GCN as the encoder of every modality (joint, motion, bone).
# Published schedule: SGD lr 0.01, momentum 0.9, wd 1e-4, global batch 64
# (here 8 GPUs x 8), 451 epochs, lr x0.1 at epoch 351.
#   tools/dist_train.sh configs/cmd_ntu60.py 8
_base_ = 'mmaction::skeleton/stgcn/stgcn_8xb16-joint-u100-80e_ntu60-xsub-keypoint-3d.py'  # noqa: E501

custom_imports = dict(imports=['cmd_plugin'], allow_failed_imports=False)

# --- what a new dataset overrides --------------------------------------------
layout = 'nturgb+d'        # bones + normalisation joints; a dict for new sets
num_person = 2
clip_len = 64              # frames after temporal crop-resize
min_crop_length = 64       # shortest temporal crop before resizing
queue_size = 16384         # multiple of the global batch, <= training clips
ann_file = 'data/skeleton/ntu60_3d.pkl'
train_split = 'xsub_train'
val_split = 'xsub_val'
batch_size = 8             # per GPU; global 64 on 8 GPUs
feat_channels = 256        # pooled ST-GCN feature

model = dict(
    _delete_=True,
    type='CMD',
    backbone=_base_.model.backbone,
    neck=dict(
        type='SkeletonProjectionNeck',
        in_channels=feat_channels,
        hid_channels=feat_channels,
        out_channels=128),
    modalities=('joint', 'motion', 'bone'),
    layout=layout,
    queue_size=queue_size,
    feat_dim=128,
    ema_momentum=0.001,    # MMEngine's convention: m = 1 - 0.001 = 0.999
    temperature=0.07,
    distill_loss=dict(
        type='MutualDistillationLoss',
        teacher_temperature=0.05,
        student_temperature=0.1,
        topk=queue_size // 2,
        loss_weight=1.0),
    distill_pairs='all')

train_pipeline = [
    dict(type='PreNormalize2sAGCN', layout=layout),
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
            dict(type='FormatGCNInput', num_person=num_person),
        ]),
    dict(type='PackActionInputs')
]
eval_pipeline = [
    dict(type='PreNormalize2sAGCN', layout=layout),
    dict(type='CenterCropResize', clip_len=clip_len, ratio=0.95),
    dict(type='FormatGCNInput', num_person=num_person),
    dict(type='PackActionInputs')
]

train_dataloader = dict(
    _delete_=True,
    batch_size=batch_size,
    num_workers=4,
    persistent_workers=True,
    drop_last=True,  # queue alignment needs full batches
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='PoseDataset',
        ann_file=ann_file,
        split=train_split,
        pipeline=train_pipeline))
# kNN monitor: the labelled training split (centre crop) is the reference,
# the validation split is queried.
val_dataloader = dict(
    _delete_=True,
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='KNNEvalDataset',
        reference=dict(
            type='PoseDataset',
            ann_file=ann_file,
            split=train_split,
            pipeline=eval_pipeline,
            test_mode=True),
        query=dict(
            type='PoseDataset',
            ann_file=ann_file,
            split=val_split,
            pipeline=eval_pipeline,
            test_mode=True)))
test_dataloader = val_dataloader
val_evaluator = [dict(type='KNNAccuracy')]
test_evaluator = val_evaluator

train_cfg = dict(
    _delete_=True,
    type='EpochBasedTrainLoop',
    max_epochs=451,
    val_begin=1,
    val_interval=1)  # the kNN monitor, every epoch

param_scheduler = [
    dict(type='MultiStepLR', milestones=[351], gamma=0.1, by_epoch=True)
]
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4))
auto_scale_lr = dict(enable=False, base_batch_size=64)

default_hooks = dict(
    checkpoint=dict(
        interval=10, save_best='knn/fused', rule='greater', max_keep_ckpts=3),
    logger=dict(interval=50))
custom_hooks = [
    dict(type='RNGStateHook'),
    dict(type='RunSettingsHook'),
    dict(type='NonFiniteLossHook'),
    dict(type='GlobalBatchCheckHook'),
    dict(type='ValAtStartHook'),
]
# Rank-local queues: never let DDP broadcast rank 0's buffers.
model_wrapper_cfg = dict(type='BufferPreservingDDP')
# Batch statistics over the global batch of 64, as on the authors' one GPU.
sync_bn = 'torch'
