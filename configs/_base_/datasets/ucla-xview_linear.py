# Linear evaluation (and fine-tuning) on the ucla-xview block.
_base_ = ['../protocols/linear.py', './ucla-xview.py']
