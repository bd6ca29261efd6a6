"""Apply exactly one of several transforms, drawn from the pipeline RNG."""
import math
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from .nesting import TransformCfg, build_transform
from .rng import pipeline_rng


@TRANSFORMS.register_module()
class RandomChooseOne(BaseTransform):
    """Apply exactly one of ``transforms``, chosen with probabilities ``prob``.

    Unlike mmcv's ``RandomChoice`` the choice is drawn from
    :func:`pipeline_rng`, not numpy's global RNG (which MMAction2's test-mode
    ``UniformSampleFrames`` reseeds).

    Required Keys:

        - whatever the chosen transform requires

    Modified Keys:

        - whatever the chosen transform modifies

    Args:
        transforms (list[dict | callable | list]): Candidates. A list
            element is itself a sub-pipeline applied as one choice.
        prob (list[float], optional): Probability of each candidate,
            non-negative and summing to 1. Defaults to uniform.
    """

    def __init__(self,
                 transforms: Sequence[TransformCfg],
                 prob: Optional[Sequence[float]] = None) -> None:
        if not transforms:
            raise ValueError('RandomChooseOne: transforms must not be empty')
        self.transforms: List[Callable] = [
            build_transform(t) for t in transforms
        ]
        count = len(self.transforms)
        if prob is None:
            prob = [1.0 / count] * count
        prob = [float(p) for p in prob]
        if len(prob) != count:
            raise ValueError(f'RandomChooseOne: got {len(prob)} '
                             f'probabilities for {count} transforms')
        if any(p < 0 or not math.isfinite(p) for p in prob):
            raise ValueError('RandomChooseOne: probabilities must be finite '
                             f'and non-negative, got {prob}')
        if not math.isclose(sum(prob), 1.0, abs_tol=1e-6):
            raise ValueError(f'RandomChooseOne: probabilities must sum to 1, '
                             f'got {prob} (sum {sum(prob)})')
        self.prob = prob
        # Bounds from the last candidate with non-zero probability on are 1,
        # so rounding can neither leave a gap that selects nothing nor pick
        # a zero-probability candidate.
        self._bounds = np.cumsum(prob) / sum(prob)
        self._bounds[np.flatnonzero(prob)[-1]:] = 1.0

    def transform(self, results: Dict) -> Optional[Dict]:
        """Apply one randomly chosen transform.

        Args:
            results (dict): The sample.

        Returns:
            dict | None: The chosen transform's output.
        """
        index = int(
            np.searchsorted(
                self._bounds, pipeline_rng().random(), side='right'))
        return self.transforms[index](results)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(transforms={self.transforms}, '
                f'prob={self.prob})')
