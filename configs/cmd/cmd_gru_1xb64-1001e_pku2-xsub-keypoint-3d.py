# CMD, paper GRU encoder, PKU-MMD II cross-subject: 1001 epochs, lr x0.1 at
# 801. The queue must not exceed the ~5.3k training clips: 4096 (a multiple
# of the batch; top-k follows as half of it). The PKU-MMD II queue size is
# not published; this is our choice under that rule.
_base_ = [
    '../_base_/models/cmd_gru.py', '../_base_/datasets/pku2-xsub_ssl.py',
    '../_base_/schedules/cmd_sgd-451e.py', '../_base_/default_runtime.py'
]

model = dict(queue_size=4096)
train_dataloader = dict(batch_size=64)
train_cfg = dict(max_epochs=1001)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[801], gamma=0.1, by_epoch=True)
]
