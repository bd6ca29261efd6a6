# Short name for CMD on NTU-60 xsub with ST-GCN encoders:
#   tools/dist_train.sh configs/cmd_ntu60.py 8
_base_ = './cmd/cmd_stgcn_8xb8-451e_ntu60-xsub-keypoint-3d.py'
