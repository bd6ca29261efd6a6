# CMD's semi-supervised fine-tuning schedule: the whole model trains, SGD
# lr 0.01, 80 epochs, lr x0.1 at epochs 50 and 70 (momentum 0.9 and wd 0
# as in linear evaluation; the paper does not state them).
_base_ = './linear_sgd-80e.py'

optim_wrapper = dict(optimizer=dict(lr=0.01))
