# Linear evaluation of the joint stream of
# ../cmd_gru-small_1xb32-20e_ucla-xview-keypoint-3d.py under the NW-UCLA
# study's protocol (cached centre-crop features). Give the checkpoint:
#   --cfg-options model.pretrained=work_dirs/RUN/epoch_20.pth
_base_ = './cmd_stgcn-tiny_linear-cached-joint_1xb64-80e_ucla-xview-keypoint-3d.py'
from mmengine.config import Config as __Config  # noqa: E402

# the encoder exactly as the pretraining config builds it
__encoder = __Config.fromfile(
    '{{ fileDirname }}/../cmd_gru-small_1xb32-20e_ucla-xview-keypoint-3d.py'
).model.backbone

model = dict(
    backbone=dict(__encoder, _delete_=True),
    cls_head=dict(in_channels=2 * __encoder.hidden_size))
