"""The input itself as the feature: the floor of every encoder comparison."""
from typing import Optional

from mmengine.model import BaseModule
from torch import Tensor

from mmaction.registry import MODELS
from ..selfsup.checks import positive_int


@MODELS.register_module()
class RawCoordinates(BaseModule):
    """(N, M, T, V, C) skeletons -> their flattened coordinates (N, M*T*V*C).

    No parameters: put in a frozen linear-evaluation recognizer, it measures
    what a linear classifier (or 1-NN) gets from the evaluation clips
    without any encoder, under exactly the protocol the encoders are judged
    by (same crops, same stream conversion, same schedule).

    Args:
        num_person (int): M. Defaults to 2.
        clip_len (int): T. Defaults to 64.
        num_joints (int): V. Defaults to 25.
        in_channels (int): C. Defaults to 3.
        init_cfg (dict, optional): Unused; for the ``BaseModule`` API.
    """

    def __init__(self, num_person: int = 2, clip_len: int = 64,
                 num_joints: int = 25, in_channels: int = 3,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.shape = tuple(
            positive_int(v, f'backbone.{name}') for v, name in (
                (num_person, 'num_person'), (clip_len, 'clip_len'),
                (num_joints, 'num_joints'), (in_channels, 'in_channels')))
        self.num_joints = self.shape[2]

    @property
    def out_channels(self) -> int:
        m, t, v, c = self.shape
        return m * t * v * c

    def forward(self, x: Tensor) -> Tensor:
        if tuple(x.shape[1:]) != self.shape:
            raise ValueError(
                f'RawCoordinates expects (N, M, T, V, C) = (N, '
                f'{", ".join(map(str, self.shape))}) from its num_person, '
                f'clip_len, num_joints and in_channels, got '
                f'{tuple(x.shape)}; set them to the dataset\'s')
        return x.reshape(x.shape[0], -1)
