"""MMAction2's 2-D pickles read as they are: keypoint (M, T, V, 2) in
pixels, keypoint_score and img_shape. The record counts the score as an
input channel; the dataset checks the coordinates against the layout and
tells the augmentations which channels are coordinates."""
import pickle
import warnings
from pathlib import Path

import numpy as np
import pytest
from mmengine.config import Config

import cmd_plugin  # noqa: F401
from cmd_plugin.converters.synthetic import make_synthetic_dataset
from cmd_plugin.datasets import DataSettingsWarning
from cmd_plugin.datasets.data_record import read_record
from mmaction.registry import DATASETS

ROOT = Path(__file__).resolve().parents[2]
_BASE = ROOT / 'configs' / '_base_'
# the shipped pipelines, the same for 3-D and 2-D data
CPU_TRAIN = Config.fromfile(str(
    _BASE / 'pipelines' / 'cmd_cpu_pretrain.py')).cmd_cpu_train_pipeline
SCDNET_TRAIN = Config.fromfile(str(
    _BASE / 'pipelines' / 'scdnet_pretrain.py')).scdnet_train_pipeline
VAL = Config.fromfile(str(
    _BASE / 'protocols' / 'pretrain_knn.py')).val_pipeline


@pytest.fixture(scope='module')
def pickle_2d(tmp_path_factory):
    path = tmp_path_factory.mktemp('two_d') / 'synthetic-2d.pkl'
    path.write_bytes(pickle.dumps(make_synthetic_dataset(per_class=3,
                                                         dims=2)))
    return str(path)


def build(ann_file, pipeline, split='train', **settings):
    settings = dict(dict(num_person=2, clip_len=16, min_crop_length=8),
                    **settings)
    return DATASETS.build(dict(type='SkeletonDataset', ann_file=ann_file,
                               split=split, pipeline=pipeline, **settings))


def test_record_counts_the_score_as_a_channel(pickle_2d):
    record = read_record(pickle_2d)
    assert record['channels'] == 3  # x, y, score
    assert record['layout'] == 'coco'


def test_loads_without_warnings_and_yields_xy_score(pickle_2d):
    with warnings.catch_warnings():
        warnings.simplefilter('error', DataSettingsWarning)
        dataset = build(pickle_2d, CPU_TRAIN)
    assert dataset.layout == 'coco'
    assert dataset.get_data_info(0)['coord_dims'] == 2
    inputs = dataset[0]['inputs']
    assert tuple(inputs.shape) == (2, 2, 16, 17, 3)  # views, M, T, V, C
    score = inputs[..., 2]
    assert float(score.min()) >= 0 and float(score.max()) <= 1
    val = build(pickle_2d, VAL, split='val',
                test_mode=True)
    inputs = val[0]['inputs']
    assert tuple(inputs.shape) == (1, 2, 16, 17, 3)
    assert float(inputs[..., :2].abs().max()) <= 1.0


def ucla_like(tmp_path, with_score):
    rng = np.random.default_rng(0)
    keypoint = rng.uniform(0, 500, size=(1, 10, 20, 2)).astype(np.float32)
    ann = dict(frame_dir='a', label=0, keypoint=keypoint, total_frames=10,
               img_shape=(480, 640))
    if with_score:
        ann['keypoint_score'] = np.ones((1, 10, 20), np.float32)
    path = tmp_path / f'flat{int(with_score)}.pkl'
    path.write_bytes(pickle.dumps(dict(split=dict(train=['a']),
                                       annotations=[ann])))
    return str(path)


def test_scores_on_a_3d_layout_are_refused(tmp_path):
    with pytest.raises(ValueError, match=r"2 coordinates per joint and a "
                       r"keypoint_score, but layout 'nw-ucla' \(20 joints\) "
                       r"has 3-D joints.*register_layout\(dict\(get_layout"
                       r"\('nw-ucla'\), name='nw-ucla' \+ '-2d', "
                       r'coord_dims=2\)\)'):
        build(ucla_like(tmp_path, True), [], layout='nw-ucla', num_person=1)


def test_projected_coordinates_without_scores_load(tmp_path):
    dataset = build(ucla_like(tmp_path, False), [], layout='nw-ucla',
                    num_person=1)
    assert dataset.get_data_info(0)['coord_dims'] == 2


def test_scdnet_views_of_2d_keypoints(pickle_2d):
    dataset = build(pickle_2d, SCDNET_TRAIN,
                    clip_len=32, min_crop_length=16)
    for index in range(4):
        inputs = dataset[index]['inputs']
        assert tuple(inputs.shape) == (2, 2, 32, 17, 3)
        score = inputs[..., 2]  # never rotated, sheared or flipped
        assert float(score.min()) >= 0 and float(score.max()) <= 1


def test_class_names_of_the_pickle_reach_the_metainfo(tmp_path):
    """t-SNE legends and reports name the classes the converter wrote."""
    data = make_synthetic_dataset(per_class=3, dims=2)
    data['classes'] = [f'action {i}' for i in range(data['num_classes'])]
    path = tmp_path / 'named.pkl'
    path.write_bytes(pickle.dumps(data))
    assert build(str(path), VAL, split='val').metainfo['classes'] == tuple(
        data['classes'])
    del data['classes']
    path.write_bytes(pickle.dumps(data))
    assert 'classes' not in build(str(path), VAL, split='val').metainfo
