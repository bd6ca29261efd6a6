# A linear classifier on the flattened evaluation clip itself (no encoder):
# the floor that the pretrained encoders' linear evaluation must beat, run
# by the same recognizer, stream conversion and schedule.
model = dict(
    type='SkeletonStreamRecognizer',
    backbone=dict(type='RawCoordinates', num_person=2, clip_len=64,
                  num_joints=25),
    cls_head=dict(type='SkeletonLinearHead', in_channels=2 * 64 * 25 * 3,
                  num_classes=60),
    stream='joint',
    layout='nturgb+d',
    frozen=True,
    pretrained=None)
