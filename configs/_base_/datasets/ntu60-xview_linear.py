# Linear evaluation (and fine-tuning) on the ntu60-xview block.
_base_ = ['../protocols/linear.py', './ntu60-xview.py']
