# CMD pretraining on NTU RGB+D 60 cross-view, 2-D keypoints, with the
# paper's GRU encoder (input size = joints x 3 channels (x, y, score) x
# persons, from the data), one GPU, batch 64, the published schedule.
#   python tools/train.py configs/cmd/cmd_gru_1xb64-451e_ntu60-xview-keypoint-2d.py
_base_ = [
    '../_base_/models/cmd_gru.py', '../_base_/datasets/ntu60-xview-2d_ssl.py',
    '../_base_/schedules/cmd_sgd-451e.py', '../_base_/default_runtime.py'
]

train_dataloader = dict(batch_size=64)
