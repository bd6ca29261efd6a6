# Linear evaluation (and fine-tuning) on the pku2-xsub block.
_base_ = ['../protocols/linear.py', './pku2-xsub.py']
