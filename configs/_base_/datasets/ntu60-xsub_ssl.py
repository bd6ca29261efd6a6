# Pretraining with the kNN monitor on the ntu60-xsub block.
_base_ = ['../protocols/pretrain_knn.py', './ntu60-xsub.py']
