# Pretraining with the kNN monitor on the ntu120-xset-2d block (2-D keypoints).
_base_ = ['../protocols/pretrain_knn.py', './ntu120-xset-2d.py']
