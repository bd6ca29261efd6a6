# The demo's linear evaluation: the centre crop as training input too, so
# the frozen encoder's features are computed once (CachedFeatureTrainLoop)
# and the 80 epochs train the head alone.
_base_ = './cmd_stgcn-tiny_linear-joint_1xb32-80e_synthetic-keypoint-3d.py'

train_pipeline = {{_base_.val_pipeline}}
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
# validated once, after the last epoch: the demo reports that number
train_cfg = dict(type='CachedFeatureTrainLoop', val_interval=80)
