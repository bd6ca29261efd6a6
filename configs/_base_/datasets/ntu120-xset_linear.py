# NTU RGB+D 120 cross-setup, labelled (even setups train).
_base_ = './ntu120-xsub_linear.py'

train_dataloader = dict(dataset=dict(split='xset_train'))
val_dataloader = dict(dataset=dict(split='xset_val'))
test_dataloader = val_dataloader
