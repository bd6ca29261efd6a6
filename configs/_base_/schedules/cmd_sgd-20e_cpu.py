# A CPU-sized schedule of the tiny recipes (demo, NW-UCLA study): 20
# epochs, lr 0.05, x0.1 at epoch 16, one checkpoint kept.
_base_ = './cmd_sgd-451e.py'

train_cfg = dict(max_epochs=20)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[16], gamma=0.1, by_epoch=True)
]
optim_wrapper = dict(optimizer=dict(lr=0.05))
# these recipes are sized for one process of 32
auto_scale_lr = dict(base_batch_size=32)
