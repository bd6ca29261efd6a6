# The NW-UCLA study's linear evaluation (docs/benchmarks.md): the centre
# crop as training input too, so the frozen encoder's features are computed
# once (CachedFeatureTrainLoop) and the 80 epochs train the head alone.
_base_ = './cmd_stgcn-tiny_linear-joint_1xb64-80e_ucla-xview-keypoint-3d.py'

train_pipeline = {{_base_.val_pipeline}}
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
train_cfg = dict(type='CachedFeatureTrainLoop', val_interval=80)
