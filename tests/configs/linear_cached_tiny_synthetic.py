# linear_tiny_synthetic.py with the demo's cached-feature protocol.
_base_ = './linear_tiny_synthetic.py'

train_pipeline = {{_base_.val_pipeline}}
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
train_cfg = dict(type='CachedFeatureTrainLoop')
