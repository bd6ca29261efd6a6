# Linear evaluation (and fine-tuning) on the ntu120-xset block.
_base_ = ['../protocols/linear.py', './ntu120-xset.py']
