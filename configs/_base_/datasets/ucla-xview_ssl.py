# Pretraining with the kNN monitor on the ucla-xview block.
_base_ = ['../protocols/pretrain_knn.py', './ucla-xview.py']
