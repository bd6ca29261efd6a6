# Raw-coordinate linear baseline on SBU Kinect Interaction fold 1: the NW-UCLA
# baseline on the SBU dataset block (persons, frames, joints and classes
# follow the data). The stream is an option (default joint):
#   --cfg-options model.stream=motion
_base_ = './raw-coordinates_linear-cached_1xb64-80e_ucla-xview-keypoint-3d.py'

skeleton_data = 'configs/_base_/datasets/sbu-fold1.py'
