# Linear evaluation of the joint stream of
# ../cmd_gru-small_1xb32-20e_ucla-xview-keypoint-3d.py under the NW-UCLA
# study's protocol (cached centre-crop features). Give the checkpoint:
#   --cfg-options model.pretrained=work_dirs/RUN/epoch_20.pth
_base_ = './cmd_stgcn-tiny_linear-cached-joint_1xb64-80e_ucla-xview-keypoint-3d.py'

model = dict(
    backbone=dict(
        _delete_=True,
        type='GRUEncoder',
        in_channels=3,
        num_joints=20,
        num_person=1,
        hidden_size=32,
        num_layers=2,
        direction='paired_forward'),
    cls_head=dict(in_channels=64))
