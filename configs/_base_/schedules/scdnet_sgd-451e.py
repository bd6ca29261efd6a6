# SCD-Net's published pretraining schedule (docs/scdnet.md §5) is CMD's: SGD
# lr 0.01, momentum 0.9, wd 1e-4, global batch 64, 451 epochs, lr x0.1 at
# epoch 351; kept as its own name so a method's configs say whose it is.
_base_ = './cmd_sgd-451e.py'
