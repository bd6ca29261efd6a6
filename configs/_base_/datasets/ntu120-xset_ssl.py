# Pretraining with the kNN monitor on the ntu120-xset block.
_base_ = ['../protocols/pretrain_knn.py', './ntu120-xset.py']
