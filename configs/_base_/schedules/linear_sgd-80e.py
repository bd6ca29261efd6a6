# CMD's linear-evaluation schedule: SGD lr 0.1, momentum 0.9, wd 0,
# batch 64, 80 epochs, lr x0.1 at epochs 50 and 70. Validation every 10
# epochs and after the last; the reported number is the last epoch's.
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=80, val_begin=1, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='MultiStepLR', milestones=[50, 70], gamma=0.1, by_epoch=True)
]
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0))
auto_scale_lr = dict(enable=False, base_batch_size=64)
