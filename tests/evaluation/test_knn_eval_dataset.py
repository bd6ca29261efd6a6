import numpy as np
import pytest
import torch
from torch.utils.data import Dataset

from cmd_plugin.datasets import KNNEvalDataset
from mmaction.registry import DATASETS


class _Packed(Dataset):

    def __init__(self, n, offset):
        from mmaction.structures import ActionDataSample
        self.items = []
        for i in range(n):
            sample = ActionDataSample().set_gt_label(offset + i)
            self.items.append(dict(inputs=torch.zeros(1),
                                   data_samples=sample))
        self.metainfo = dict(name=f'set{offset}')

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def test_roles_and_order():
    ds = KNNEvalDataset(reference=_Packed(3, 0), query=_Packed(2, 10))
    assert len(ds) == 5
    roles = [ds[i]['data_samples'].metainfo['knn_role'] for i in range(5)]
    assert roles == ['reference'] * 3 + ['query'] * 2
    assert int(ds[4]['data_samples'].gt_label) == 11
    assert ds.metainfo == dict(name='set10')


def test_builds_pose_datasets_from_config(tmp_path):
    import pickle
    ann = dict(
        split=dict(train=['a'], val=['b']),
        annotations=[
            dict(frame_dir=n, label=i, total_frames=4,
                 keypoint=np.zeros((1, 4, 25, 3), np.float16))
            for i, n in enumerate('ab')
        ])
    path = tmp_path / 'ann.pkl'
    path.write_bytes(pickle.dumps(ann))
    pipeline = [dict(type='PackActionInputs')]
    ds = DATASETS.build(
        dict(type='KNNEvalDataset',
             reference=dict(type='PoseDataset', ann_file=str(path),
                            split='train', pipeline=pipeline),
             query=dict(type='PoseDataset', ann_file=str(path),
                        split='val', pipeline=pipeline)))
    assert len(ds) == 2
    with pytest.raises(IndexError):
        ds[2]
