"""Several independently augmented views of one sample, stacked."""
import copy
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmcv.transforms import BaseTransform, Compose

from mmaction.registry import TRANSFORMS
from .nesting import TransformCfg, build_transform


@TRANSFORMS.register_module()
class MultiView(BaseTransform):
    """Run a sub-pipeline ``num_views`` times and stack the keypoints.

    Each view is produced from an independent deep copy of the input, so
    the views share nothing but the source sample; the randomness comes from
    the sub-transforms (and :func:`pipeline_rng`).

    Output layout: with a sub-pipeline ending in
    ``FormatGCNInput(num_person=M)`` each view's keypoint is
    (1, M, T, V, C) (one clip) and the views are concatenated along axis 0
    into (num_views, M, T, V, C); after ``PackActionInputs`` and collation
    the batch is (N, num_views, M, T, V, C), view 0 being the query and
    view 1 the key. Any other view shape (e.g. (M, T, V, C) without
    ``FormatGCNInput``) is stacked along a new leading axis instead.

    Required Keys:

        - whatever the sub-pipeline requires

    Modified Keys:

        - keypoint: the stacked views
        - every other key the sub-pipeline modifies, taken from view 0

    Added Keys:

        - num_views

    Args:
        transforms (list[dict | callable]): The per-view sub-pipeline; it
            must keep ``keypoint`` (put ``PackActionInputs`` after
            MultiView) and give every view the same shape.
        num_views (int): Number of views. Defaults to 2.
    """

    def __init__(self,
                 transforms: Sequence[TransformCfg],
                 num_views: int = 2) -> None:
        if num_views < 1:
            raise ValueError(
                f'MultiView: num_views must be >= 1, got {num_views}')
        self.pipeline = Compose([build_transform(t) for t in transforms])
        self.num_views = num_views

    def transform(self, results: Dict) -> Optional[Dict]:
        """Build and stack the views.

        Args:
            results (dict): The sample; it is not modified.

        Returns:
            dict | None: View 0's result with the stacked ``keypoint``, or
            None if the sub-pipeline dropped the sample.
        """
        views: List[Dict] = []
        for _ in range(self.num_views):
            view = self.pipeline(copy.deepcopy(results))
            if view is None:
                return None
            if 'keypoint' not in view:
                raise ValueError(
                    'MultiView: the sub-pipeline output has no "keypoint"; '
                    'put PackActionInputs after MultiView, not inside it')
            views.append(view)
        arrays = [np.asarray(v['keypoint']) for v in views]
        shapes = [a.shape for a in arrays]
        if any(shape != shapes[0] for shape in shapes):
            raise ValueError(
                f'MultiView: the views have different keypoint shapes '
                f'{shapes}; the sub-pipeline must give a fixed shape, e.g. '
                'TemporalCropResize(clip_len=64) for a fixed clip length and '
                'FormatGCNInput(num_person=2) for a fixed person count')
        if arrays[0].ndim == 5 and arrays[0].shape[0] == 1:
            stacked = np.concatenate(arrays, axis=0)
        else:
            stacked = np.stack(arrays, axis=0)
        out = views[0]
        out['keypoint'] = stacked
        out['num_views'] = self.num_views
        return out

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(transforms={self.pipeline}, '
                f'num_views={self.num_views})')
