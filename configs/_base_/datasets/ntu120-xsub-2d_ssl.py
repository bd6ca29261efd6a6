# Pretraining with the kNN monitor on the ntu120-xsub-2d block (2-D keypoints).
_base_ = ['../protocols/pretrain_knn.py', './ntu120-xsub-2d.py']
