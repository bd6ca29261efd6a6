# Pretraining with the kNN monitor on the sbu-fold1 block.
_base_ = ['../protocols/pretrain_knn.py', './sbu-fold1.py']
