# Linear evaluation of one stream's pretrained ST-GCN (docs/evaluation.md):
# the encoder frozen and kept in eval mode, Linear(256, classes) on its
# pooled feature. The checkpoint comes from the command line:
#   --cfg-options model.pretrained=work_dirs/RUN/epoch_451.pth
# (model.pretrained=None: the randomly initialised encoder, the baseline).
_base_ = './stgcn.py'

model = dict(
    type='SkeletonStreamRecognizer',
    # num_classes=None: the data's
    cls_head=dict(type='SkeletonLinearHead', in_channels=256,
                  num_classes=None),
    stream='joint',
    frozen=True,
    pretrained=None)
