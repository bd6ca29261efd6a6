"""Apply a sub-pipeline with a probability drawn from the pipeline RNG."""
import math
from typing import Dict, Optional, Sequence

from mmcv.transforms import BaseTransform, Compose

from mmaction.registry import TRANSFORMS
from .nesting import TransformCfg, build_transform
from .rng import pipeline_rng


@TRANSFORMS.register_module()
class ProbabilityApply(BaseTransform):
    """Apply ``transforms`` (in order, as one unit) with probability ``prob``.

    Unlike mmcv's ``RandomApply`` the coin is drawn from
    :func:`pipeline_rng`, not numpy's global RNG (which MMAction2's
    test-mode ``UniformSampleFrames`` reseeds). One draw is made per call
    whatever ``prob`` is, so changing ``prob`` does not shift the stream
    the other transforms of the pipeline see.

    Required Keys:

        - whatever the sub-pipeline requires, when applied

    Modified Keys:

        - whatever the sub-pipeline modifies, when applied

    Args:
        transforms (list[dict | callable | list]): The sub-pipeline; a list
            element is itself a sub-pipeline. A single dict or callable is
            taken as a one-element list.
        prob (float): Probability of applying it, in [0, 1]. Defaults to
            0.5.
    """

    def __init__(self,
                 transforms: Sequence[TransformCfg],
                 prob: float = 0.5) -> None:
        if isinstance(transforms, dict) or callable(transforms):
            transforms = [transforms]
        if not transforms:
            raise ValueError('ProbabilityApply: transforms must not be empty')
        prob = float(prob)
        if not (math.isfinite(prob) and 0 <= prob <= 1):
            raise ValueError(
                f'ProbabilityApply: prob must be in [0, 1], got {prob}')
        self.transforms = Compose([build_transform(t) for t in transforms])
        self.prob = prob

    def transform(self, results: Dict) -> Optional[Dict]:
        """Apply the sub-pipeline or pass the sample through.

        Args:
            results (dict): The sample.

        Returns:
            dict | None: The sub-pipeline's output (None if it dropped the
            sample), or ``results`` unchanged.
        """
        if pipeline_rng().random() < self.prob:
            return self.transforms(results)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(transforms={self.transforms}, '
                f'prob={self.prob})')
