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

# The NTU pipelines with shorter clips and crops.
train_pipeline = _base_.train_pipeline
train_pipeline[1]['transforms'][0].update(  # TemporalCropResize
    clip_len=clip_len, min_length=min_crop_length)
eval_pipeline = _base_.eval_pipeline
eval_pipeline[1].update(clip_len=clip_len)  # CenterCropResize
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

# kNN every 5 epochs (plus epoch 0) keeps `make demo` within its budget
train_cfg = dict(max_epochs=20, val_interval=5)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[16], gamma=0.1, by_epoch=True)
]
optim_wrapper = dict(optimizer=dict(lr=0.05))
default_hooks = dict(
    checkpoint=dict(interval=5, max_keep_ckpts=1), logger=dict(interval=5))
sync_bn = None
randomness = dict(seed=0)
