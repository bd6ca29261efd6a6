# The demo: CMD with a narrow ST-GCN on the synthetic skeletons, sized for a
# 2-core CPU (make demo). Data from tools/data/make_synthetic.py; the path
# can be set with $CMD_DEMO_ANN_FILE.
_base_ = [
    '../_base_/models/cmd_stgcn-tiny.py', '../_base_/datasets/synthetic_ssl.py',
    '../_base_/schedules/cmd_sgd-451e.py', '../_base_/default_runtime.py'
]

model = dict(queue_size=256)
# kNN every 5 epochs (plus epoch 0) keeps `make demo` within its budget
train_cfg = dict(max_epochs=20, val_interval=5)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[16], gamma=0.1, by_epoch=True)
]
optim_wrapper = dict(optimizer=dict(lr=0.05))
default_hooks = dict(
    checkpoint=dict(interval=5, max_keep_ckpts=1), logger=dict(interval=5))
randomness = dict(seed=0)
