# Linear evaluation (and fine-tuning) on the ntu120-xset-2d block (2-D keypoints).
_base_ = ['../protocols/linear.py', './ntu120-xset-2d.py']
