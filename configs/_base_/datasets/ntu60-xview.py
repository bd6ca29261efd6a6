# NTU RGB+D 60 cross-view: the cross-subject block with the view splits.
_base_ = './ntu60-xsub.py'

skeleton_data = dict(train_split='xview_train', val_split='xview_val')
