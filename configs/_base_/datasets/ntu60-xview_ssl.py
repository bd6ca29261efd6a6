# Pretraining with the kNN monitor on the ntu60-xview block.
_base_ = ['../protocols/pretrain_knn.py', './ntu60-xview.py']
