"""The normalisation of whatever skeletons the data hold, so one pipeline
serves 3-D and 2-D datasets and a dataset block alone decides."""
from typing import Dict, Optional, Sequence, Union

from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from ...skeleton.layouts import coordinate_dims, get_layout
from .keypoint_2d import AppendKeypointScore, PreNormalizeImage2D
from .normalize import PreNormalize2sAGCN


@TRANSFORMS.register_module()
class PreNormalizeSkeleton(BaseTransform):
    """The first step of every shipped pipeline: the data's layout picks it.

    - 3-D layouts (x, y, z): :class:`PreNormalize2sAGCN`, CMD's
      normalisation (spine to the origin, the body turned to the camera).
    - 2-D layouts (``coord_dims=2``: x, y pixels plus ``keypoint_score``):
      :class:`PreNormalizeImage2D` then :class:`AppendKeypointScore`,
      MMAction2's 2-D head (``PreNormalize2D`` + ``GenSkeFeat``): image
      centre = origin, half the frame = 1, the score as a third channel.

    Everything after it (crops, views, shear, corruption, masks, rotation,
    streams) reads the layout's coordinate count and leaves a score alone,
    so a config changes kind of data by its dataset block only.

    Required Keys: those of the chosen steps (keypoint; 2-D: also
    keypoint_score and img_shape). Modified Keys: keypoint (2-D: C + 1
    channels). Added Keys (2-D): coord_dims. Removed Keys (2-D):
    keypoint_score.

    Args:
        layout (str | dict): The dataset's layout (filled from the data).
        pad_null_frames (bool): 3-D only, see :class:`PreNormalize2sAGCN`.
        img_shape (Sequence[int], optional): 2-D only, for data without a
            per-sample ``img_shape`` (see :class:`PreNormalizeImage2D`).
    """

    # filled from the dataset (cmd_plugin/datasets/data_settings.py)
    data_settings = dict(layout='layout')

    def __init__(self, layout: Union[str, dict],
                 pad_null_frames: bool = True,
                 img_shape: Optional[Sequence[int]] = None) -> None:
        self.layout = layout
        if coordinate_dims(get_layout(layout)) == 2:
            self.steps = [PreNormalizeImage2D(img_shape=img_shape),
                          AppendKeypointScore()]
        else:
            self.steps = [PreNormalize2sAGCN(layout, pad_null_frames)]

    def transform(self, results: Dict) -> Dict:
        for step in self.steps:
            results = step(results)
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(steps={self.steps})'
