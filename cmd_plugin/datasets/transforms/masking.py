"""Input masking of joints and frame segments (SCD-Net, spec §3.6-7).

Masked entries are set to 0, the value missing joints and padding already
have; there is no reconstruction target. On 2-D keypoints every channel of
a masked joint is zeroed, its score included (a separate
``keypoint_score`` alike): a masked joint reads as a missing one.
"""
from typing import Optional, Union

import numpy as np

from mmaction.registry import TRANSFORMS
from ...skeleton.layouts import get_layout
from .checks import describe_layout
from .keypoint_transform import KeypointTransform
from .rng import pipeline_rng

EDGES = ('parents', 'inward')


def layout_adjacency(layout: Union[str, dict],
                     edges: str = 'parents') -> np.ndarray:
    """Binary symmetric (V, V) joint adjacency without self-loops.

    Args:
        layout (str | dict): The skeleton layout.
        edges (str): 'parents' (the bone tree) or 'inward' (the graph
            edges MMAction2's ``Graph`` uses; for NTU the two differ at the
            hand tips and thumbs).
    """
    resolved = get_layout(layout)
    num_node = int(resolved['num_node'])
    if edges == 'parents':
        pairs = list(enumerate(int(p) for p in resolved['parents']))
    elif edges == 'inward':
        if 'inward' not in resolved:
            raise ValueError(
                f'layout {describe_layout(layout)!r} has no inward edges; '
                "use edges='parents'")
        pairs = [(int(a), int(b)) for a, b in resolved['inward']]
    else:
        raise ValueError(f'edges must be one of {EDGES}, got {edges!r}')
    adjacency = np.zeros((num_node, num_node), np.int64)
    for a, b in pairs:
        if a != b:
            adjacency[a, b] = adjacency[b, a] = 1
    return adjacency


@TRANSFORMS.register_module()
class StructuralSpatialMask(KeypointTransform):
    """Zero the joints nearest (in the skeleton graph) to random centres.

    With ``A_hat = I + A`` (A: :func:`layout_adjacency`), ``num_centers``
    centre joints ``c_i`` are drawn uniformly with replacement and every
    joint scores ``score(j) = sum_i (A_hat^2)[c_i, j]`` (the walks of length
    at most 2 from the centres); the ``num_masked`` highest-scoring joints
    are zeroed in all frames and persons. Ties are broken by a random
    permutation drawn from :func:`pipeline_rng`.

    Required Keys:

        - keypoint (M, T, V, C)

    Modified Keys:

        - keypoint: a new array, same dtype
        - keypoint_score (optional): 0 where the keypoint was zeroed

    Args:
        layout (str | dict): The skeleton layout. Follows the dataset's
            ``layout`` setting.
        num_centers (int): Centre joints drawn. Defaults to 5.
        num_masked (int, optional): Joints zeroed. Defaults to 8 (SCD-Net,
            25 joints) unless ``ratio`` is given.
        ratio (float, optional): Instead of ``num_masked``, the fraction of
            the layout's joints, rounded: 0.32 is 8 of 25 and 6 of 20.
        edges (str): Adjacency source, see :func:`layout_adjacency`.
            Defaults to 'parents'.
    """

    # filled from the dataset (cmd_plugin/datasets/data_settings.py)
    data_settings = dict(layout='layout')

    def __init__(self,
                 layout: Union[str, dict],
                 num_centers: int = 5,
                 num_masked: Optional[int] = None,
                 ratio: Optional[float] = None,
                 edges: str = 'parents') -> None:
        name = 'StructuralSpatialMask'
        if num_masked is not None and ratio is not None:
            raise ValueError(f'{name}: give num_masked or ratio, not both')
        if ratio is not None and not 0 <= ratio <= 1:
            raise ValueError(f'{name}: ratio must be in [0, 1], got {ratio}')
        if num_centers < 1:
            raise ValueError(
                f'{name}: num_centers must be >= 1, got {num_centers}')
        if edges not in EDGES:
            raise ValueError(
                f'{name}: edges must be one of {EDGES}, got {edges!r}')
        adjacency = layout_adjacency(layout, edges)
        num_node = len(adjacency)
        if num_masked is None:
            num_masked = 8 if ratio is None else int(round(ratio * num_node))
        if not 0 <= num_masked <= num_node:
            raise ValueError(
                f'{name}: num_masked={num_masked} is not within the '
                f'{num_node} joints of layout {describe_layout(layout)!r}; '
                'lower num_masked or give ratio= instead')
        hat = np.eye(num_node, dtype=np.int64) + adjacency
        self._reach = hat @ hat
        self.layout = layout
        self.num_centers = num_centers
        self.num_masked = num_masked
        self.ratio = ratio
        self.edges = edges

    def sample_joints(self, rng: np.random.Generator) -> np.ndarray:
        """Draw the centres, then the tie-breaking permutation; return the
        masked joints, highest score first."""
        num_node = len(self._reach)
        centres = rng.integers(num_node, size=self.num_centers)
        score = self._reach[centres].sum(axis=0)
        tie_break = rng.permutation(num_node)
        order = np.lexsort((tie_break, -score))
        return order[:self.num_masked]

    checks_layout = True
    zeroes_joints = True

    def apply(self, keypoint: np.ndarray, valid: int) -> np.ndarray:
        """The keypoints with the drawn joints zeroed in every frame."""
        joints = self.sample_joints(pipeline_rng())
        keypoint = keypoint.copy()
        keypoint[:, :, joints] = 0
        return keypoint

    def __repr__(self) -> str:
        amount = (f'ratio={self.ratio}' if self.ratio is not None else
                  f'num_masked={self.num_masked}')
        return (f'{self.__class__.__name__}('
                f'layout={describe_layout(self.layout)!r}, '
                f'num_centers={self.num_centers}, {amount}, '
                f'edges={self.edges!r})')


@TRANSFORMS.register_module()
class SegmentTemporalMask(KeypointTransform):
    """Zero ``num_masked`` of ``num_segments`` equal runs of frames.

    The ``T_v = total_frames`` valid frames are cut at
    ``floor(k * T_v / num_segments)``, k = 0..num_segments: equal segments
    when ``num_segments`` divides T_v (64 frames, 16 segments: 4 frames
    each), else lengths differing by at most one. ``num_masked`` distinct
    segments are drawn from :func:`pipeline_rng` and zeroed for all
    persons and joints (SCD-Net: 6 of 16, 37.5%).

    Required Keys:

        - keypoint (M, T, V, C)
        - total_frames (optional, defaults to T)

    Modified Keys:

        - keypoint: a new array, same dtype
        - keypoint_score (optional): 0 where the keypoint was zeroed

    Args:
        num_segments (int): Segments the clip is cut into. Defaults to 16.
        num_masked (int): Segments zeroed. Defaults to 6.
    """

    def __init__(self, num_segments: int = 16, num_masked: int = 6) -> None:
        if num_segments < 1:
            raise ValueError(f'SegmentTemporalMask: num_segments must be '
                             f'>= 1, got {num_segments}')
        if not 0 <= num_masked <= num_segments:
            raise ValueError(
                f'SegmentTemporalMask: num_masked must be in [0, '
                f'num_segments={num_segments}], got {num_masked}')
        self.num_segments = num_segments
        self.num_masked = num_masked

    def segment_bounds(self, num_frames: int) -> np.ndarray:
        """Start of every segment and the end of the last, (S + 1,)."""
        return np.arange(self.num_segments + 1) * num_frames // (
            self.num_segments)

    zeroes_joints = True

    def apply(self, keypoint: np.ndarray, valid: int) -> np.ndarray:
        """The keypoints with the drawn segments zeroed."""
        if valid < self.num_segments:
            raise ValueError(
                f'SegmentTemporalMask: {valid} valid frames cannot be cut '
                f'into num_segments={self.num_segments}; put it after '
                'TemporalCropResize (fixed clip_len) or lower num_segments')
        bounds = self.segment_bounds(valid)
        chosen = pipeline_rng().choice(
            self.num_segments, size=self.num_masked, replace=False)
        keypoint = keypoint.copy()
        for segment in chosen:
            keypoint[:, bounds[segment]:bounds[segment + 1]] = 0
        return keypoint

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(num_segments={self.num_segments}'
                f', num_masked={self.num_masked})')
