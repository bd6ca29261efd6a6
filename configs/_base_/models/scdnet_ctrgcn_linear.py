# Linear evaluation of SCD-Net's pretrained encoder (docs/evaluation.md):
# the encoder of ./scdnet_ctrgcn.py frozen and kept in eval mode,
# Linear(4096, classes) on its downstream feature [v_t; v_s]. The checkpoint
# comes from the command line:
#   --cfg-options model.pretrained=work_dirs/RUN/epoch_451.pth
# (model.pretrained=None: the randomly initialised encoder, the baseline).
_base_ = './scdnet_ctrgcn.py'

model = dict(
    _delete_=True,
    type='SkeletonStreamRecognizer',
    backbone=dict(_base_.model.backbone, type='SCDEncoder',
                  out_type='feature'),
    cls_head=dict(type='SkeletonLinearHead', in_channels=4096,
                  num_classes=None),  # the data's
    stream='joint',  # SCD-Net's pretraining modality
    frozen=True,
    pretrained=None)
