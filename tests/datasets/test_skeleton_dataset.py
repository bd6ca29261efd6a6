"""SkeletonDataset: settings flow into the pipeline, bad files and splits
fail with the cause, suspicious settings warn."""
import pickle

import numpy as np
import pytest

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets import DataSettingsWarning
from cmd_plugin.converters.synthetic import make_synthetic_dataset
from mmaction.registry import DATASETS

EVAL = [dict(type='PreNormalize2sAGCN'), dict(type='CenterCropResize'),
        dict(type='FormatGCNInput'), dict(type='PackActionInputs')]


@pytest.fixture(scope='module')
def synthetic(tmp_path_factory):
    path = tmp_path_factory.mktemp('ds') / 'syn.pkl'
    data = make_synthetic_dataset(per_class=3, seed=0)
    path.write_bytes(pickle.dumps(data))
    return str(path), data


def build(path, **kwargs):
    cfg = dict(type='SkeletonDataset', ann_file=path, split='train',
               layout='nturgb+d', num_person=2, clip_len=16,
               pipeline=EVAL)
    cfg.update(kwargs)
    return DATASETS.build(cfg)


def write(tmp_path, obj, name='bad.pkl'):
    path = tmp_path / name
    path.write_bytes(pickle.dumps(obj))
    return str(path)


def test_settings_reach_the_transforms(synthetic):
    ds = build(synthetic[0], num_person=1, clip_len=12)
    assert ds[0]['inputs'].shape == (1, 1, 12, 25, 3)
    text = repr(ds.pipeline)
    assert "clip_len=12" in text


def test_a_transform_disagreeing_with_the_dataset_is_an_error(synthetic):
    pipeline = [dict(type='CenterCropResize', clip_len=64)] + EVAL[2:]
    with pytest.raises(ValueError, match='sets clip_len=64 but the dataset'):
        build(synthetic[0], pipeline=pipeline)
    with pytest.raises(ValueError, match='sets no num_person'):
        build(synthetic[0], num_person=None)


def test_unknown_split_lists_the_ones_that_exist(synthetic):
    with pytest.raises(ValueError, match=r"'xsub_train' is not in .* "
                       r"\['train', 'val'\]"):
        build(synthetic[0], split='xsub_train')


def test_empty_split_is_an_error(synthetic, tmp_path):
    data = dict(synthetic[1], split=dict(train=[], val=['nobody']))
    path = write(tmp_path, data)
    with pytest.raises(ValueError, match="split 'val' .* selects no sample"):
        build(path, split='val')


@pytest.mark.parametrize('content,message', [
    ([1, 2, 3], 'annotation 0 is a int, not an annotation dict'),
    (dict(split={}, samples=[]), "dict with keys \\['samples', 'split'\\]"),
    ('text', 'holds a str'),
])
def test_a_pickle_that_is_not_annotations(tmp_path, content, message):
    path = write(tmp_path, content)
    with pytest.raises(ValueError, match=message):
        build(path, split=None)


def test_unreadable_and_missing_files(tmp_path):
    junk = tmp_path / 'junk.pkl'
    junk.write_bytes(b'\x00not a pickle')
    with pytest.raises(ValueError, match='cannot be read as a pickle'):
        build(str(junk))
    with pytest.raises(FileNotFoundError, match='converter in tools/data'):
        build(str(tmp_path / 'missing.pkl'))


def test_negative_label_is_an_error(synthetic, tmp_path):
    data = pickle.loads(pickle.dumps(synthetic[1]))
    data['annotations'][1]['label'] = -1
    path = write(tmp_path, data)
    with pytest.raises(ValueError, match='has label -1; labels are 0-based'):
        build(path)


def test_joint_count_must_match_the_layout(synthetic, tmp_path):
    data = {k: v for k, v in synthetic[1].items() if k != 'layout'}
    with pytest.raises(ValueError, match=r"\[25\] joints .* 'nw-ucla' has "
                       '20'):
        build(write(tmp_path, data), layout='nw-ucla', num_person=1)


def test_recorded_layout_must_match(synthetic, tmp_path):
    data = dict(synthetic[1], layout='nw-ucla')
    with pytest.raises(ValueError, match="converted for the 'nw-ucla' "
                       "layout .* layout='nturgb\\+d'"):
        build(write(tmp_path, data))


def test_crop_and_person_settings_that_do_not_fit_warn(synthetic, tmp_path):
    data = pickle.loads(pickle.dumps(synthetic[1]))
    for ann in data['annotations']:
        ann['keypoint'][1] = 0  # nobody has a second person
    path = write(tmp_path, data)
    pipeline = [dict(type='TemporalCropResize')] + EVAL[2:]
    with pytest.warns(DataSettingsWarning) as record:
        build(path, min_crop_length=500, pipeline=pipeline)
    text = ' '.join(str(r.message) for r in record)
    assert 'min_crop_length=500 exceeds' in text
    assert 'num_person=2 but no checked sample' in text


def test_knn_eval_dataset_split_form(synthetic):
    ds = DATASETS.build(
        dict(type='KNNEvalDataset', ann_file=synthetic[0],
             reference_split='train', query_split='val', layout='nturgb+d',
             num_person=2, clip_len=8, pipeline=EVAL))
    roles = {ds[i]['data_samples'].metainfo['knn_role']
             for i in range(len(ds))}
    assert roles == {'reference', 'query'}
    assert ds.reference.test_mode and ds.query.split == 'val'
    with pytest.raises(ValueError, match='not both or neither'):
        DATASETS.build(dict(type='KNNEvalDataset', reference_split='train',
                            query_split='val',
                            reference=dict(type='SkeletonDataset')))
    with pytest.raises(ValueError, match="got \\['ann_file'\\] beside"):
        DATASETS.build(dict(type='KNNEvalDataset', ann_file='x.pkl',
                            reference=dict(), query=dict()))


def test_a_label_beyond_the_class_count_is_refused_at_load(synthetic,
                                                           tmp_path):
    """Stated on the dataset, or recorded in the pickle: a label of 8 in
    8-class data is refused when the dataset loads, naming the sample."""
    _, data = synthetic
    bad = dict(data, annotations=[dict(a) for a in data['annotations']])
    bad['annotations'][0]['label'] = 8
    path = write(tmp_path, bad)
    with pytest.raises(ValueError, match=r"sample 'synth_A001_0000' has "
                       r'label 8 but the data has num_classes=8 '
                       r'\(labels 0..7\)'):
        build(path)  # the pickle records num_classes=8
    del bad['num_classes']
    path = write(tmp_path, bad, 'unrecorded.pkl')
    build(path)  # nothing says how many classes: not checkable here
    with pytest.raises(ValueError, match='label 8 but the data has '
                       'num_classes=8'):
        build(path, num_classes=8)
    with pytest.raises(ValueError, match=r'records 8 classes but the '
                       r'dataset config says num_classes=27'):
        build(synthetic[0], num_classes=27)


def test_the_data_layout_is_used_and_a_different_one_refused(synthetic,
                                                             tmp_path):
    """The pickle's layout serves a dataset that states none; a definition
    in the pickle is checked field by field, naming the file."""
    ds = build(synthetic[0], layout=None)
    assert ds.layout == 'nturgb+d'
    from cmd_plugin.skeleton.layouts import NW_UCLA_20
    _, data = synthetic
    broken = dict(NW_UCLA_20, name='mine', parents=list(range(20)))
    path = write(tmp_path, dict(data, layout=broken))
    with pytest.raises(ValueError, match=r'bad.pkl: layout.parents has 20 '
                       'roots'):
        build(path, layout=None)
    cycle = dict(NW_UCLA_20, name='mine')
    cycle['parents'] = [1] + list(NW_UCLA_20['parents'][1:])
    cycle['parents'][1] = 0
    path = write(tmp_path, dict(data, layout=cycle), 'cycle.pkl')
    with pytest.raises(ValueError, match=r'cycle.pkl: layout.parents has '
                       r'(no|0) roots|cycle'):
        build(path, layout=None)


def test_a_new_transform_declares_what_it_takes_from_the_dataset(synthetic):
    """A transform of a user's own says ``data_settings`` where it is
    defined and gets the dataset's layout; without the declaration it has
    no default to fall back on, so it fails instead of assuming NTU."""
    from mmcv.transforms import BaseTransform

    from mmaction.registry import TRANSFORMS

    @TRANSFORMS.register_module(force=True)
    class _RecordsLayout(BaseTransform):
        data_settings = dict(layout='layout')

        def __init__(self, layout):
            self.layout = layout

        def transform(self, results):
            results['seen_layout'] = self.layout
            return results

    @TRANSFORMS.register_module(force=True)
    class _ForgotToDeclare(_RecordsLayout):
        data_settings = {}

    ds = build(synthetic[0], layout=None,
               pipeline=[dict(type='_RecordsLayout')] + EVAL)
    assert ds.pipeline.transforms[0].layout == 'nturgb+d'  # the pickle's
    with pytest.raises(TypeError, match="missing 1 required positional "
                       "argument: 'layout'"):
        build(synthetic[0], pipeline=[dict(type='_ForgotToDeclare')] + EVAL)
