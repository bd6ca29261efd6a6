# Pretraining with the kNN monitor on the pku1-xsub block.
_base_ = ['../protocols/pretrain_knn.py', './pku1-xsub.py']
