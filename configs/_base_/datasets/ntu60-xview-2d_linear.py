# Linear evaluation (and fine-tuning) on the ntu60-xview-2d block (2-D keypoints).
_base_ = ['../protocols/linear.py', './ntu60-xview-2d.py']
