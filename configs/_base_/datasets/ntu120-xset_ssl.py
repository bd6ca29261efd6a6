# NTU RGB+D 120 cross-setup (even setups train), otherwise as xsub.
_base_ = './ntu120-xsub_ssl.py'

train_dataloader = dict(dataset=dict(split='xset_train'))
val_dataloader = dict(
    dataset=dict(reference_split='xset_train', query_split='xset_val'))
test_dataloader = val_dataloader
