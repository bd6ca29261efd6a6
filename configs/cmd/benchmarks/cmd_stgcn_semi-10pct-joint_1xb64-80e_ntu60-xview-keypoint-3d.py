# Semi-supervised evaluation with 10% of the labels (see the 1% config).
_base_ = './cmd_stgcn_semi-1pct-joint_1xb64-80e_ntu60-xview-keypoint-3d.py'

train_dataloader = dict(dataset=dict(label_fraction=0.1))
