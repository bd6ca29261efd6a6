"""The layout check's second test: mirror limbs have the same length. A
single pair of neighbouring joints swapped keeps every bone's length
nearly constant (the bone test stays quiet) but makes left and right
limbs differ; the dataset says so at load."""
import pickle

import numpy as np
import pytest

from cmd_plugin.converters.synthetic import make_synthetic_dataset
from cmd_plugin.datasets import DataSettingsWarning
from cmd_plugin.skeleton.fit import layout_misfit
from mmaction.registry import DATASETS


@pytest.fixture(scope='module')
def clips():
    data = make_synthetic_dataset(per_class=2, seed=0)
    return data, [np.asarray(a['keypoint'], dtype=np.float32)
                  for a in data['annotations']]


def swapped(a, b):
    order = np.arange(25)
    order[[a, b]] = order[[b, a]]
    return order


def test_true_order_fits(clips):
    assert layout_misfit(clips[1], 'nturgb+d') is None


def test_a_swapped_elbow_and_wrist_is_seen_only_by_symmetry(clips):
    # NTU 1-based 6 (left elbow) <-> 7 (left wrist)
    misfit = layout_misfit([k[:, :, swapped(5, 6)] for k in clips[1]],
                           'nturgb+d')
    assert misfit == dict(bones=[], pairs=[(5, 9), (7, 11)])


def test_the_dataset_warns_naming_the_pairs(clips, tmp_path):
    data, _ = clips
    order = swapped(5, 6)
    shuffled = dict(data, annotations=[
        dict(a, keypoint=np.ascontiguousarray(a['keypoint'][:, :, order]))
        for a in data['annotations']])
    del shuffled['layout']  # as an unrecorded pickle
    path = tmp_path / 'swapped.pkl'
    path.write_bytes(pickle.dumps(shuffled))
    with pytest.warns(DataSettingsWarning, match=r"layout 'nturgb\+d' does "
                      r'not fit .*2 left/right pairs \(1-based joints 6/10, '
                      r'8/12\) have bones of different lengths'):
        DATASETS.build(dict(
            type='SkeletonDataset', ann_file=str(path), split='train',
            layout='nturgb+d', num_person=2, clip_len=16,
            pipeline=[dict(type='CenterCropResize'),
                      dict(type='FormatGCNInput'),
                      dict(type='PackActionInputs')]))
