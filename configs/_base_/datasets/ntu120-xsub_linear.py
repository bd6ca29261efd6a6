# Linear evaluation (and fine-tuning) on the ntu120-xsub block.
_base_ = ['../protocols/linear.py', './ntu120-xsub.py']
