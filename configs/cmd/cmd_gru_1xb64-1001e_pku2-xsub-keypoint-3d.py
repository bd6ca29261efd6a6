# CMD, paper GRU encoder, PKU-MMD II cross-subject: 1001 epochs, lr x0.1 at
# 801. The queue must not exceed the ~5.3k training clips (cmd-spec §4): 4096
# (a multiple of the batch), top-k half of it. The spec does not publish the
# PKU-MMD II queue size; this is our choice under that rule.
#   python tools/data/pku_to_pkl.py --src PKU-MMDv2 --out data/skeleton/pku2_3d.pkl
_base_ = './cmd_gru_1xb64-451e_ntu60-xsub-keypoint-3d.py'

ann_file = 'data/skeleton/pku2_3d.pkl'
queue_size = 4096
model = dict(queue_size=queue_size, distill_loss=dict(topk=queue_size // 2))
train_dataloader = dict(dataset=dict(ann_file=ann_file))
val_dataloader = dict(
    dataset=dict(
        reference=dict(ann_file=ann_file), query=dict(ann_file=ann_file)))
test_dataloader = val_dataloader
train_cfg = dict(max_epochs=1001)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[801], gamma=0.1, by_epoch=True)
]
