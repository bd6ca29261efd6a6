# Linear evaluation (and fine-tuning) on the pku1-xsub block.
_base_ = ['../protocols/linear.py', './pku1-xsub.py']
