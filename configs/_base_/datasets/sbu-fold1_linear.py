# Linear evaluation (and fine-tuning) on the sbu-fold1 block.
_base_ = ['../protocols/linear.py', './sbu-fold1.py']
