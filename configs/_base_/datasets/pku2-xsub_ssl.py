# Pretraining with the kNN monitor on the pku2-xsub block.
_base_ = ['../protocols/pretrain_knn.py', './pku2-xsub.py']
