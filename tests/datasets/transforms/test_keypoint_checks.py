"""Malformed samples give a ValueError naming the transform and the fix."""
import numpy as np
import pytest

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets.transforms import (CenterCropResize, JointCorruption,
                                            Shear, TemporalCropResize)

TRANSFORMS = [
    TemporalCropResize(),
    CenterCropResize(),
    Shear(),
    JointCorruption()
]


def _ids(transforms):
    return [type(t).__name__ for t in transforms]


@pytest.mark.parametrize('transform', TRANSFORMS, ids=_ids(TRANSFORMS))
@pytest.mark.parametrize(
    'sample,match', [
        (dict(keypoint=np.zeros((4, 25, 3))), r'4-D \(M, T, V, C\)'),
        (dict(keypoint=np.zeros((2, 0, 25, 3))), 'empty sequence.*drop empty'),
        (dict(keypoint=np.zeros(
            (2, 5, 25, 3)), total_frames=0), 'empty sequence'),
        (dict(keypoint=np.zeros(
            (2, 5, 25, 3)), total_frames=9), 'total_frames=9 exceeds'),
        (dict(keypoint=np.full((1, 5, 25, 3), np.nan)), 'NaN or inf'),
        (dict(keypoint=np.full((1, 5, 25, 3), np.inf)), 'NaN or inf'),
        (dict(total_frames=3), 'no "keypoint"'),
    ],
    ids=['3d', 'no-frames', 'total0', 'too-long', 'nan', 'inf', 'missing'])
def test_bad_keypoint(transform, sample, match):
    with pytest.raises(ValueError, match=type(transform).__name__) as info:
        transform(dict(sample, frame_dir='S001A001'))
    assert info.match(match)
    assert "'S001A001'" in str(info.value)


@pytest.mark.parametrize('transform', TRANSFORMS[:2], ids=_ids(TRANSFORMS[:2]))
def test_temporal_transforms_accept_2d(transform):
    sample = dict(keypoint=np.ones((1, 5, 17, 2), np.float16), total_frames=5)
    assert transform(sample)['keypoint'].shape == (1, 64, 17, 2)
