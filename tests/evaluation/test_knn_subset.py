from collections import Counter

import pytest
import torch
from torch.utils.data import Dataset

from cmd_plugin.datasets import KNNEvalDataset
from cmd_plugin.datasets.stratified_subset import stratified_subset


def test_subset_keeps_class_shares_and_is_seeded():
    labels = [0] * 50 + [1] * 30 + [2] * 20
    kept = stratified_subset(labels, 10)
    assert Counter(labels[i] for i in kept) == {0: 5, 1: 3, 2: 2}
    assert kept == sorted(kept) and len(set(kept)) == 10
    assert stratified_subset(labels, 10) == kept
    assert stratified_subset(labels, 10, seed=1) != kept
    assert stratified_subset(labels, 100) == list(range(100))
    assert stratified_subset(labels, 1000) == list(range(100))


def test_subset_leftover_goes_to_the_largest_remainders():
    labels = [0] * 5 + [1] * 3 + [2] * 2  # shares of 4: 2.0, 1.2, 0.8
    kept = stratified_subset(labels, 4)
    assert Counter(labels[i] for i in kept) == {0: 2, 1: 1, 2: 1}


def test_subset_is_the_same_everywhere():
    # a hash, not an RNG: these indices must not change across machines
    # or library versions (update only on purpose)
    assert stratified_subset([i % 3 for i in range(30)], 6) == \
        [3, 7, 23, 24, 25, 29]


class _Packed(Dataset):

    def __init__(self, labels):
        self.labels = labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        from mmaction.structures import ActionDataSample
        return dict(inputs=torch.full((1, ), float(i)),
                    data_samples=ActionDataSample().set_gt_label(
                        self.labels[i]))


def test_dataset_subsets_reference_and_query():
    ref = _Packed([0] * 6 + [1] * 4)
    query = _Packed([0, 1, 1, 0, 1])
    ds = KNNEvalDataset(reference=ref, query=query, max_reference=5,
                        max_query=2)
    assert len(ds) == 7
    roles = [ds[i]['data_samples'].metainfo['knn_role'] for i in range(7)]
    assert roles == ['reference'] * 5 + ['query'] * 2
    picked = [int(ds[i]['inputs']) for i in range(5)]
    assert picked == stratified_subset(ref.labels, 5)
    assert sorted(int(ds[i]['data_samples'].gt_label) for i in range(5)) \
        == [0, 0, 0, 1, 1]
    assert [int(ds[i]['inputs']) for i in (5, 6)] == \
        stratified_subset(query.labels, 2)
    with pytest.raises(IndexError):
        ds[7]
    whole = KNNEvalDataset(reference=ref, query=query, max_reference=50)
    assert len(whole) == 15


def test_dataset_subset_reads_labels_from_annotations(tmp_path):
    import pickle

    import numpy as np
    ann = dict(
        split=dict(train=[f's{i}' for i in range(8)], val=['v']),
        annotations=[
            dict(frame_dir=f's{i}', label=i % 2, total_frames=4,
                 keypoint=np.zeros((1, 4, 25, 3), np.float16))
            for i in range(8)] + [
            dict(frame_dir='v', label=0, total_frames=4,
                 keypoint=np.zeros((1, 4, 25, 3), np.float16))])
    path = tmp_path / 'ann.pkl'
    path.write_bytes(pickle.dumps(ann))
    pipeline = [dict(type='PackActionInputs')]
    ds = KNNEvalDataset(
        reference=dict(type='PoseDataset', ann_file=str(path),
                       split='train', pipeline=pipeline),
        query=dict(type='PoseDataset', ann_file=str(path), split='val',
                   pipeline=pipeline),
        max_reference=4, subset_seed=3)
    assert len(ds) == 5
    assert sorted(int(ds[i]['data_samples'].gt_label) for i in range(4)) \
        == [0, 0, 1, 1]


@pytest.mark.parametrize('key,value', [('max_reference', 0),
                                       ('max_query', 2.5),
                                       ('max_query', True)])
def test_invalid_subset_sizes_name_the_key(key, value):
    with pytest.raises(ValueError, match=f'{key}='):
        KNNEvalDataset(reference=_Packed([0]), query=_Packed([0]),
                       **{key: value})
