# Raw-coordinate linear baseline on the sbu-fold1 block: a linear classifier on
# the flattened centre-cropped clip (persons x frames x joints x
# coordinates, all from the data), CMD's linear schedule on cached inputs.
# The stream is an option (default joint):
#   --cfg-options model.stream=motion
_base_ = [
    '../_base_/models/raw-coordinates_linear.py',
    '../_base_/datasets/sbu-fold1_linear.py',
    '../_base_/schedules/linear_sgd-80e.py', '../_base_/linear_runtime.py'
]

train_pipeline = {{_base_.val_pipeline}}
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
train_cfg = dict(type='CachedFeatureTrainLoop', val_interval=80)
