# CMD on NW-UCLA cross-view (views 1, 2 train / 3 test), inheriting the NTU
# recipe and overriding only what the data changes: the 20-joint Kinect v1
# layout (graph, bones, normalisation joints), one person, ~40-frame clips
# (clip length 32, crops of at least 16 frames), a queue no larger than the
# 1,020 training clips (960: a multiple of the global batch 64), paths.
#   python tools/data/ucla_to_pkl.py --src ../shared/data/nw-ucla --out data/skeleton/ucla.pkl
_base_ = './cmd_stgcn_8xb8-451e_ntu60-xsub-keypoint-3d.py'

# After `_base_`: MMEngine reads a config that starts with an import as a
# lazy-import config, which no plain config could then inherit.
from cmd_plugin.datasets.layouts import NW_UCLA_20  # noqa: E402

layout = 'nw-ucla'  # the plugin's name for NW_UCLA_20 (bones, normalisation)
num_person = 1
clip_len = 32
min_crop_length = 16
queue_size = 960
ann_file = 'data/skeleton/ucla.pkl'
train_split = 'xview_train'
val_split = 'xview_val'

model = dict(
    # MMAction2's Graph takes the layout dict itself
    backbone=dict(graph_cfg=dict(layout=dict(_delete_=True, **NW_UCLA_20))),
    layout=layout,
    queue_size=queue_size,
    distill_loss=dict(topk=queue_size // 2))

# The NTU pipelines, with the values this data changes.
train_pipeline = _base_.train_pipeline
train_pipeline[0].update(layout=layout)  # PreNormalize2sAGCN
view = train_pipeline[1]['transforms']  # MultiView's per-view pipeline
view[0].update(clip_len=clip_len, min_length=min_crop_length)
view[1]['transforms'][1].update(num_joints=12)  # 60% of 20 joints, as 15/25
view[2].update(num_person=num_person)  # FormatGCNInput
eval_pipeline = _base_.eval_pipeline
eval_pipeline[0].update(layout=layout)
eval_pipeline[1].update(clip_len=clip_len)  # CenterCropResize
eval_pipeline[2].update(num_person=num_person)
train_dataloader = dict(
    dataset=dict(
        ann_file=ann_file, split=train_split, pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        reference=dict(
            ann_file=ann_file, split=train_split, pipeline=eval_pipeline),
        query=dict(ann_file=ann_file, split=val_split,
                   pipeline=eval_pipeline)))
test_dataloader = val_dataloader
