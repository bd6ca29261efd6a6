"""The synthetic set filmed in 2-D: COCO-17 pixels of the 3-D motions,
with detector-like scores and img_shape, as MMAction2's 2-D pickles."""
import pickle
from pathlib import Path

import numpy as np
import pytest
from mmengine.config import Config

from cmd_plugin.converters.synthetic import (IMG_SHAPE, _COCO_BODY,
                                             make_synthetic_dataset,
                                             project_to_image,
                                             synthesize_sample,
                                             synthesize_sample_2d)
from tests.datasets.helpers import tool_main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope='module')
def dataset():
    return make_synthetic_dataset(per_class=6, seed=1, dims=2)


def test_format(dataset):
    assert dataset['layout'] == 'coco' and dataset['num_classes'] == 8
    for ann in dataset['annotations']:
        keypoint, score = ann['keypoint'], ann['keypoint_score']
        frames = ann['total_frames']
        assert keypoint.shape == (2, frames, 17, 2)
        assert score.shape == (2, frames, 17)
        assert keypoint.dtype == score.dtype == np.float32
        assert ann['img_shape'] == ann['original_shape'] == IMG_SHAPE
        assert 0 < score[0].min() and score.max() <= 1
        h, w = IMG_SHAPE
        assert (keypoint[0, ..., 0] > 0).all() and \
            (keypoint[0, ..., 0] < w).all()
        assert (keypoint[0, ..., 1] > 0).all() and \
            (keypoint[0, ..., 1] < h).all()
        if not keypoint[1].any():  # no bystander: zeros, score 0
            assert not score[1].any()
    assert any(not a['keypoint'][1].any() for a in dataset['annotations'])


def test_it_films_the_3d_motion():
    joints = synthesize_sample(2, np.random.default_rng([1, 2, 0]))
    keypoint, _ = synthesize_sample_2d(2, np.random.default_rng([1, 2, 0]))
    np.testing.assert_allclose(
        keypoint[0, :, 5:],
        project_to_image(joints[0][:, _COCO_BODY].astype(np.float64)),
        rtol=1e-5)
    # the subject faces the camera: its left shoulder on the image's right
    assert (keypoint[0, :, 5, 0] > keypoint[0, :, 6, 0]).mean() > 0.9


def test_pairs_are_time_reversals_in_2d_too():
    for label in (0, 4):
        forward = synthesize_sample_2d(label, np.random.default_rng(7))
        backward = synthesize_sample_2d(label + 1, np.random.default_rng(7))
        for a, b in zip(forward, backward):
            np.testing.assert_array_equal(b, a[:, ::-1])


def test_3d_set_is_unchanged_by_the_option():
    a = make_synthetic_dataset(per_class=2, seed=4)
    b = make_synthetic_dataset(per_class=2, seed=4, dims=3)
    for x, y in zip(a['annotations'], b['annotations']):
        np.testing.assert_array_equal(x['keypoint'], y['keypoint'])
        assert 'keypoint_score' not in x
    with pytest.raises(ValueError, match='dims must be 2'):
        make_synthetic_dataset(per_class=1, dims=1)


def test_cli_writes_what_the_dataset_block_reads(tmp_path, capsys):
    block = Config.fromfile(
        str(ROOT / 'configs' / '_base_' / 'datasets' / 'synthetic-2d.py'))
    assert block.skeleton_data.ann_file == 'data/synthetic/synthetic-2d.pkl'
    out = tmp_path / 'synthetic-2d.pkl'
    assert tool_main('make_synthetic.py')(
        ['--2d', '--out', str(out), '--per-class', '2']) == 0
    data = pickle.loads(out.read_bytes())
    assert data['layout'] == 'coco'
    assert data['annotations'][0]['keypoint'].shape[-1] == 2
    assert 'keypoint_score' in data['annotations'][0]
