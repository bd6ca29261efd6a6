# SCD-Net's linear-evaluation schedule (docs/scdnet.md §5): SGD lr 2.0,
# momentum 0.9, wd 0, batch 1024, 80 epochs, lr x0.1 at 50 and 70, on
# features of the frozen encoder cached once (the training input is the
# deterministic centre crop): CachedFeatureTrainLoop.
_base_ = './linear_sgd-80e.py'

train_cfg = dict(type='CachedFeatureTrainLoop', val_interval=80)
optim_wrapper = dict(optimizer=dict(lr=2.0))
auto_scale_lr = dict(base_batch_size=1024)
