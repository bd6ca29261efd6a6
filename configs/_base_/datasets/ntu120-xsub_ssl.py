# Pretraining with the kNN monitor on the ntu120-xsub block.
_base_ = ['../protocols/pretrain_knn.py', './ntu120-xsub.py']
