# NTU RGB+D 120 cross-setup.
_base_ = './ntu120-xsub.py'

skeleton_data = dict(train_split='xset_train', val_split='xset_val')
