# The demo: CMD with a narrow ST-GCN on the synthetic skeletons, sized for a
# 2-core CPU (make demo). Data from tools/data/make_synthetic.py; the path
# can be set with $CMD_DEMO_ANN_FILE.
_base_ = [
    '../_base_/models/cmd_stgcn-tiny.py', '../_base_/datasets/synthetic_ssl.py',
    '../_base_/schedules/cmd_sgd-20e_cpu.py', '../_base_/default_runtime.py'
]

model = dict(queue_size=256)
# kNN every 5 epochs (plus epoch 0) keeps `make demo` within its budget
train_cfg = dict(val_interval=5)
default_hooks = dict(
    checkpoint=dict(interval=5, max_keep_ckpts=1), logger=dict(interval=5))
randomness = dict(seed=0)
