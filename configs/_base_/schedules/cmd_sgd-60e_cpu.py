# The CPU recipe's schedule: 60 epochs, lr 0.1, x0.1 at epoch 48.
_base_ = './cmd_sgd-20e_cpu.py'

train_cfg = dict(max_epochs=60)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[48], gamma=0.1, by_epoch=True)
]
optim_wrapper = dict(optimizer=dict(lr=0.1))
