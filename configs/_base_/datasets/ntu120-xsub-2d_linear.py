# Linear evaluation (and fine-tuning) on the ntu120-xsub-2d block (2-D keypoints).
_base_ = ['../protocols/linear.py', './ntu120-xsub-2d.py']
