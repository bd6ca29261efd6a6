# Pretraining with the kNN monitor on the k400-2d block (2-D keypoints).
_base_ = ['../protocols/pretrain_knn.py', './k400-2d.py']
