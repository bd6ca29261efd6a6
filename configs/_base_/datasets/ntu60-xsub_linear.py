# Linear evaluation (and fine-tuning) on the ntu60-xsub block.
_base_ = ['../protocols/linear.py', './ntu60-xsub.py']
