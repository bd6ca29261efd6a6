# CMD's published pretraining schedule: SGD lr 0.01, momentum 0.9, wd 1e-4,
# global batch 64, 451 epochs, lr x0.1 at epoch 351; the kNN monitor every
# 5 epochs (and at epoch 0, ValAtStartHook), about 3% of the training time
# with the datasets' 10k-clip monitor reference (docs/benchmarks.md).
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=451, val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='MultiStepLR', milestones=[351], gamma=0.1, by_epoch=True)
]
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4))
# The recipe's global batch; a run with another one is told so at start.
auto_scale_lr = dict(enable=False, base_batch_size=64)
