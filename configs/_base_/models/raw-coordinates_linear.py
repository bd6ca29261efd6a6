# A linear classifier on the flattened evaluation clip itself (no encoder):
# the floor that the pretrained encoders' linear evaluation must beat, run
# by the same recognizer, stream conversion and schedule.
model = dict(
    type='SkeletonStreamRecognizer',
    # persons, clip length, joints and coordinates follow the data; the
    # head's input is their product (in_channels=None)
    backbone=dict(type='RawCoordinates'),
    cls_head=dict(type='SkeletonLinearHead', in_channels=None,
                  num_classes=None),
    stream='joint',
    frozen=True,
    pretrained=None)
