# CMD (docs/cmd.md §2) with MMAction2's own ST-GCN as the encoder of every
# modality.
_base_ = './stgcn.py'

model = dict(
    type='CMD',
    neck=dict(
        type='SkeletonProjectionNeck',
        in_channels=256,  # ST-GCN's pooled feature
        hid_channels=256,
        out_channels=128),
    modalities=('joint', 'motion', 'bone'),
    queue_size=16384,  # multiple of the global batch, <= training clips
    feat_dim=128,
    ema_momentum=0.001,  # MMEngine's convention: m = 1 - 0.001 = 0.999
    contrast_loss=dict(type='InfoNCELoss', temperature=0.07),
    # topk left out: half the queue, as published
    distill_loss=dict(
        type='MutualDistillationLoss',
        teacher_temperature=0.05,
        student_temperature=0.1,
        loss_weight=1.0),
    distill_pairs='all')
