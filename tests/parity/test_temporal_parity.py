"""The temporal crop-resize, the centre crop and the 2s-AGCN
pre-normalisation reproduce the authors' data pipeline
(``../shared/parity/temporal_resize.pt``) with the transforms' defaults."""
import numpy as np
import pytest

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets.transforms import (CenterCropResize,
                                            PreNormalize2sAGCN,
                                            TemporalCropResize)
from cmd_plugin.datasets.transforms.temporal import resample_frames
from . import reference as ref


@pytest.fixture(scope='module')
def fixture():
    return ref.load('temporal_resize')


def clips(fixture):
    return [(c, c['keypoint'].float().numpy()) for c in fixture['clips']]


def test_every_window_resamples_as_the_reference(fixture):
    tol = fixture['settings']['tolerances']['crop_resize']
    out = fixture['settings']['out_frames']
    for clip, kp in clips(fixture):
        for (start, length), want in zip(clip['windows'].tolist(),
                                         clip['crop_resize']):
            got = resample_frames(kp, start, length, out)
            ref.assert_within(
                f"T={clip['total_frames']} window ({start}, {length})",
                got, want.numpy(), tol, scale=0.0)


def test_whole_clip_crop_resize_defaults_match(fixture):
    tol = fixture['settings']['tolerances']['crop_resize']
    settings = fixture['settings']
    for clip, kp in clips(fixture):
        for (start, length), want in zip(clip['windows'].tolist(),
                                         clip['crop_resize']):
            if (start, length) != (0, clip['total_frames']):
                continue
            crop = TemporalCropResize(
                clip_len=settings['out_frames'], scale_range=(1.0, 1.0),
                min_length=settings['min_crop_length'])
            got = crop(dict(keypoint=kp.copy(),
                            total_frames=clip['total_frames']))['keypoint']
            ref.assert_within(f"T={clip['total_frames']} whole clip", got,
                              want.numpy(), tol, scale=0.0)


def test_centre_crop_defaults_match(fixture):
    tol = fixture['settings']['tolerances']['crop_resize']
    settings = fixture['settings']
    checked = 0
    for clip, kp in clips(fixture):
        if clip.get('centre_crop') is None:
            continue
        crop = CenterCropResize(clip_len=settings['out_frames'],
                                ratio=settings['centre_ratio'])
        assert crop.window(clip['total_frames']) == tuple(
            clip['centre_window'].tolist())
        got = crop(dict(keypoint=kp.copy(),
                        total_frames=clip['total_frames']))['keypoint']
        ref.assert_within(f"T={clip['total_frames']} centre crop", got,
                          clip['centre_crop'].numpy(), tol, scale=0.0)
        checked += 1
    assert checked == 3


@pytest.mark.parametrize('frames', ['padded', 'valid'])
def test_prenormalisation_matches(fixture, frames):
    pre = fixture['prenorm']
    tol = fixture['settings']['tolerances']['prenorm']
    kp = pre['keypoint'].float().numpy()
    want = pre['out'].numpy()
    if frames == 'valid':
        kp, want = kp[:, :pre['total_frames']], want[:, :pre['total_frames']]
    got = PreNormalize2sAGCN('nturgb+d')(dict(keypoint=kp.copy(),
                                    total_frames=kp.shape[1]))['keypoint']
    ref.assert_within(f'pre-normalisation ({frames})', np.asarray(got),
                      want, tol, scale=0.0)
