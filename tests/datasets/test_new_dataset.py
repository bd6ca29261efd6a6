"""A dataset the project has never seen -- 20 joints in an order of its own
-- is one dataset block; the same data under the NW-UCLA layout is refused
by name, and without a recorded layout its bones give it away."""
import pickle

import numpy as np
import pytest

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets import DataSettingsWarning
from cmd_plugin.skeleton.layouts import NTU_RGBD_25
from cmd_plugin.converters.synthetic import make_synthetic_dataset
from mmaction.registry import DATASETS
from tests.conftest import run_tool

# NTU joints without the head (index 3, nobody's parent) and the hand tips
# (21-24, leaves), shuffled: a 20-joint skeleton in an order of its own.
_KEEP = [j for j in range(21) if j != 3]
_ORDER = list(np.random.default_rng(7).permutation(_KEEP))
_NEW = {ntu: i for i, ntu in enumerate(_ORDER)}


def made_up_layout():
    parents = [_NEW[NTU_RGBD_25['parents'][j]] for j in _ORDER]
    return dict(
        name='made-up-20',
        num_node=20,
        parents=parents,
        inward=[(c, p) for c, p in enumerate(parents) if c != p],
        center=_NEW[20],
        hip=_NEW[0],
        spine=_NEW[1],
        left_shoulder=_NEW[4],
        right_shoulder=_NEW[8])


def write_made_up_pkl(path, record_layout=True, definition=False):
    """The made-up data; its pickle records the layout's name, its whole
    definition (``definition=True``), or nothing (``record_layout=False``,
    as MMAction2's own pickles)."""
    data = make_synthetic_dataset(per_class=6, seed=3)
    for ann in data['annotations']:
        ann['keypoint'] = np.ascontiguousarray(
            ann['keypoint'][:, :, _ORDER][:1])  # one person
    data['layout'] = made_up_layout() if definition else 'made-up-20'
    del data['num_classes']  # the labels say it
    if not record_layout:
        del data['layout']
    path.write_bytes(pickle.dumps(data))
    return str(path)


NEW_DATASET_BLOCK = '''
skeleton_data = dict(
    ann_file='{ann}',
    train_split='train',
    val_split='val',
    num_person=1,
    clip_len=16,
    min_crop_length=8)
'''


def test_new_layout_is_one_short_config_and_trains(tmp_path):
    ann = write_made_up_pkl(tmp_path / 'made_up.pkl', definition=True)
    block = tmp_path / 'made-up-20.py'
    block.write_text(NEW_DATASET_BLOCK.format(ann=ann))
    assert len(NEW_DATASET_BLOCK.strip().splitlines()) <= 8
    config = ('configs/cmd/cmd_stgcn-tiny32_1xb32-60e_ucla-xview-'
              'keypoint-3d.py')
    proc = run_tool(['tools/train.py', config, '--work-dir',
                     str(tmp_path / 'work'), '--cfg-options',
                     f'skeleton_data={block}', 'model.queue_size=32',
                     'train_dataloader.batch_size=8', 'train_cfg.max_epochs=1',
                     'train_cfg.val_interval=1'], timeout=600)
    log = proc.stdout + proc.stderr
    assert 'knn/fused' in log and 'Epoch(train)' in log
    # the model took the pickle's layout; the recorded, bone-checked
    # layout gave no warning
    assert "from the data: model.layout = 'made-up-20' (20 joints)" in log
    assert 'does not fit' not in log


def test_made_up_data_under_the_ucla_config_is_refused(tmp_path):
    ann = write_made_up_pkl(tmp_path / 'made_up.pkl')
    with pytest.raises(ValueError, match="'made-up-20' layout .* "
                       "layout='nw-ucla'"):
        DATASETS.build(_ucla_dataset(ann))


def test_unrecorded_layout_is_caught_by_its_bones(tmp_path):
    ann = write_made_up_pkl(tmp_path / 'unrecorded.pkl', record_layout=False)
    with pytest.warns(DataSettingsWarning,
                      match=r"layout 'nw-ucla' does not fit .*joint->parent"):
        DATASETS.build(_ucla_dataset(ann))
    with _no_warning():
        cfg = _ucla_dataset(ann)
        cfg['layout'] = made_up_layout()
        DATASETS.build(cfg)


def _ucla_dataset(ann):
    return dict(type='SkeletonDataset', ann_file=ann, split='train',
                layout='nw-ucla', num_person=1, clip_len=16,
                pipeline=[dict(type='PreNormalize2sAGCN'),
                          dict(type='CenterCropResize'),
                          dict(type='FormatGCNInput'),
                          dict(type='PackActionInputs')])


class _no_warning:

    def __enter__(self):
        import warnings
        self._catch = warnings.catch_warnings(record=True)
        self.records = self._catch.__enter__()
        warnings.simplefilter('always')

    def __exit__(self, *exc):
        self._catch.__exit__(*exc)
        bad = [r for r in self.records
               if issubclass(r.category, DataSettingsWarning)]
        assert not bad, [str(r.message) for r in bad]
