"""TemporalCropResize and CenterCropResize."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets.transforms import CenterCropResize, TemporalCropResize
from cmd_plugin.datasets.transforms.temporal import resample_frames
from mmaction.registry import TRANSFORMS

pytestmark = pytest.mark.usefixtures('seeded_pipeline_rng')


def _ramp(valid: int, total: int = None, persons: int = 2) -> dict:
    """x = frame index, y = -2 * frame index, z = joint index; zero padding."""
    total = valid if total is None else total
    keypoint = np.zeros((persons, total, 25, 3), dtype=np.float32)
    frames = np.arange(valid, dtype=np.float32)[None, :, None]
    keypoint[:, :valid, :, 0] = frames
    keypoint[:, :valid, :, 1] = -2 * frames
    keypoint[:, :valid, :, 2] = np.arange(25)
    return dict(keypoint=keypoint, total_frames=valid)


def grid(start, length, clip_len, align_corners):
    """Frame positions a linear resize of ``[start, start + length)`` to
    ``clip_len`` frames reads, from torch's own interpolation."""
    ramp = torch.arange(start, start + length, dtype=torch.float64)
    if length == 1:
        return np.full(clip_len, float(start))
    return F.interpolate(ramp[None, None], size=clip_len, mode='linear',
                         align_corners=align_corners)[0, 0].numpy()


GRIDS = pytest.mark.parametrize('align_corners', [False, True])


def test_default_grid_is_the_authors():
    # the reference pipelines resize with align_corners=False
    assert TemporalCropResize().align_corners is False
    assert CenterCropResize().align_corners is False
    out = resample_frames(np.arange(7.)[None], 0, 7, 3)
    np.testing.assert_allclose(out[0], grid(0, 7, 3, False), atol=1e-6)


def test_ramp_stays_linear_within_valid_frames():
    for _ in range(20):
        results = TemporalCropResize(clip_len=64)(_ramp(100, total=300))
        keypoint = results['keypoint']
        assert keypoint.shape == (2, 64, 25, 3)
        assert keypoint.dtype == np.float32
        assert results['total_frames'] == 64
        x = keypoint[0, :, 0, 0]
        steps = np.diff(x)
        np.testing.assert_allclose(steps, steps[0], atol=1e-4)
        # Never reads padding; min_length 64 of 100 valid frames.
        assert x[0] >= 0 and x[-1] <= 99
        assert x[-1] - x[0] + 1 >= 64 - 1e-4
        np.testing.assert_allclose(
            keypoint[..., 1], -2 * keypoint[..., 0], atol=1e-4)
        np.testing.assert_array_equal(keypoint[0, 5, :, 2], np.arange(25))


@GRIDS
def test_crop_length_follows_scale(align_corners):
    transform = TemporalCropResize(
        clip_len=32, scale_range=(0.5, 0.5), min_length=1,
        align_corners=align_corners)
    for _ in range(10):
        x = transform(_ramp(200))['keypoint'][0, :, 0, 0]
        # the window starts on a frame and is 100 frames long
        start = round(x[0] - grid(0, 100, 32, align_corners)[0])
        np.testing.assert_allclose(x, grid(start, 100, 32, align_corners),
                                   atol=1e-3)
        if align_corners:
            assert x[-1] - x[0] + 1 == pytest.approx(100, abs=1e-3)
            assert x[0] == int(x[0])


@GRIDS
def test_full_scale_keeps_all_valid_frames(align_corners):
    transform = TemporalCropResize(clip_len=10, scale_range=(1.0, 1.0),
                                   align_corners=align_corners)
    x = transform(_ramp(19, total=40))['keypoint'][1, :, 0, 0]
    np.testing.assert_allclose(x, grid(0, 19, 10, align_corners), atol=1e-5)
    if align_corners:
        np.testing.assert_allclose(x, np.linspace(0, 18, 10), atol=1e-5)


@GRIDS
def test_shorter_than_clip_len_is_stretched(align_corners):
    results = TemporalCropResize(clip_len=64, align_corners=align_corners)(
        _ramp(5, total=300))
    x = results['keypoint'][0, :, 0, 0]
    # min_length 64 clamps to T_v = 5: the whole sequence, stretched.
    np.testing.assert_allclose(x, grid(0, 5, 64, align_corners), atol=1e-5)
    if align_corners:
        np.testing.assert_allclose(x, np.linspace(0, 4, 64), atol=1e-5)


def test_single_frame_is_repeated():
    sample = _ramp(1, total=3)
    sample['keypoint'][:, 0] += 7
    results = TemporalCropResize(clip_len=16)(sample)
    keypoint = results['keypoint']
    assert keypoint.shape == (2, 16, 25, 3)
    np.testing.assert_array_equal(
        keypoint, np.repeat(sample['keypoint'][:, :1], 16, axis=1))


@GRIDS
def test_total_frames_defaults_to_array_length(align_corners):
    sample = _ramp(20)
    del sample['total_frames']
    results = TemporalCropResize(clip_len=8, scale_range=(1, 1),
                                 align_corners=align_corners)(sample)
    np.testing.assert_allclose(results['keypoint'][0, :, 0, 0],
                               grid(0, 20, 8, align_corners), atol=1e-5)


def test_keypoint_score_resampled_alike():
    sample = _ramp(30)
    sample['keypoint_score'] = sample['keypoint'][..., 0].copy()
    results = TemporalCropResize(clip_len=12)(sample)
    assert results['keypoint_score'].shape == (2, 12, 25)
    np.testing.assert_allclose(results['keypoint_score'],
                               results['keypoint'][..., 0])


def test_align_corners_false_matches_half_pixel_grid():
    array = np.arange(4, dtype=np.float32).reshape(1, 4)
    out = resample_frames(array, 0, 4, 8, align_corners=False)
    # torch.nn.functional.interpolate(linear, align_corners=False) values.
    expected = [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3]
    np.testing.assert_allclose(out[0], expected, atol=1e-6)


@pytest.mark.parametrize('valid,start,length', [(100, 2, 96), (300, 7, 286),
                                                (40, 1, 38), (20, 0, 20),
                                                (1, 0, 1)])
@GRIDS
def test_center_crop_window(valid, start, length, align_corners):
    transform = CenterCropResize(clip_len=64, align_corners=align_corners)
    assert transform.window(valid) == (start, length)
    results = transform(_ramp(valid, total=valid + 10))
    x = results['keypoint'][0, :, 0, 0]
    np.testing.assert_allclose(x, grid(start, length, 64, align_corners),
                               atol=1e-4)
    if align_corners:
        np.testing.assert_allclose(
            x, np.linspace(start, start + length - 1, 64), atol=1e-4)
    assert results['total_frames'] == 64


def test_center_crop_matches_spec_formula():
    transform = CenterCropResize()
    for valid in range(1, 2000):
        assert transform.window(valid)[0] == int(0.05 * valid / 2)


def test_center_crop_is_deterministic():
    transform = CenterCropResize(clip_len=16)
    a = transform(_ramp(77))['keypoint']
    b = transform(_ramp(77))['keypoint']
    np.testing.assert_array_equal(a, b)


def test_built_from_registry_and_repr():
    transform = TRANSFORMS.build(
        dict(type='TemporalCropResize', clip_len=32, scale_range=(0.5, 1)))
    assert 'clip_len=32' in repr(transform)
    assert 'scale_range=(0.5, 1.0)' in repr(transform)
    assert 'ratio=0.9' in repr(CenterCropResize(ratio=0.9))


@pytest.mark.parametrize('kwargs', [
    dict(clip_len=0),
    dict(scale_range=(0.0, 1.0)),
    dict(scale_range=(0.8, 0.5)),
    dict(min_length=0),
])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match='TemporalCropResize'):
        TemporalCropResize(**kwargs)
