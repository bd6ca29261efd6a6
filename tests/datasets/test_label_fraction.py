"""Label-fraction subsets: seeded, balanced, independent of input order,
the protocol's sizes on an NTU-60-shaped split, and through SkeletonDataset.
"""
import pickle
import random
from collections import Counter

import numpy as np
import pytest

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets import DataSettingsWarning
from cmd_plugin.datasets.label_fraction import (class_counts,
                                                label_fraction_subset)
from cmd_plugin.converters.synthetic import make_synthetic_dataset
from mmaction.registry import DATASETS
from tests.conftest import LogLines

EVAL = [dict(type='PreNormalize2sAGCN'), dict(type='CenterCropResize'),
        dict(type='FormatGCNInput'), dict(type='PackActionInputs')]


def ntu60_xsub_like():
    """40,091 made-up samples over 60 uneven classes (NTU-60 xsub train)."""
    rng = np.random.default_rng(123)
    sizes = np.full(60, 40091 // 60)
    sizes[:40091 % 60] += 1
    shift = rng.integers(-40, 41, size=30)  # uneven, same total
    sizes[:30] += shift
    sizes[30:] -= shift
    labels = np.repeat(np.arange(60), sizes)
    rng.shuffle(labels)
    names = [f'S{i % 17:03d}C001P{i % 40:03d}R001A{int(c) + 1:03d}_{i}'
             for i, c in enumerate(labels)]
    return names, [int(c) for c in labels]


@pytest.fixture(scope='module')
def ntu():
    return ntu60_xsub_like()


def small(per_class=(3, 10, 25, 40), seed=0):
    labels = [c for c, n in enumerate(per_class) for _ in range(n)]
    random.Random(seed).shuffle(labels)
    return [f'clip_{i:04d}' for i in range(len(labels))], labels


@pytest.mark.parametrize('fraction,total', [(0.01, 401), (0.1, 4009)])
def test_protocol_sizes_on_an_ntu60_xsub_sized_split(ntu, fraction, total):
    names, labels = ntu
    assert len(labels) == 40091 and len(set(labels)) == 60
    keep = label_fraction_subset(names, labels, fraction, seed=0)
    assert len(keep) == total == round(fraction * len(labels))
    assert keep == sorted(set(keep))
    sizes, kept = Counter(labels), Counter(labels[i] for i in keep)
    assert set(kept) == set(sizes)
    for c, n in sizes.items():
        assert abs(kept[c] - fraction * n) < 1, (c, kept[c], n)


def test_same_seed_same_subset_other_seed_other_subset(ntu):
    names, labels = ntu
    first = label_fraction_subset(names, labels, 0.01, seed=3)
    assert label_fraction_subset(names, labels, 0.01, seed=3) == first
    other = label_fraction_subset(names, labels, 0.01, seed=4)
    assert other != first
    # distinct draws, not a shifted copy: little overlap at 1%
    assert len(set(first) & set(other)) < len(first) // 4


def test_shuffled_input_order_selects_the_same_samples(ntu):
    names, labels = ntu
    keep = label_fraction_subset(names, labels, 0.1, seed=1)
    order = np.random.default_rng(9).permutation(len(names))
    shuffled_names = [names[i] for i in order]
    shuffled_labels = [labels[i] for i in order]
    again = label_fraction_subset(shuffled_names, shuffled_labels, 0.1, 1)
    assert {shuffled_names[i] for i in again} == {names[i] for i in keep}


def test_the_subset_of_a_seed_is_pinned():
    # SHA-256 of seed and name only: any machine, Python or numpy gives
    # these; a change here changes every published subset
    names = [f'clip_{i:04d}' for i in range(40)]
    keep = label_fraction_subset(names, [i % 4 for i in range(40)], 0.25, 0)
    assert [names[i] for i in keep] == [
        'clip_0004', 'clip_0007', 'clip_0011', 'clip_0014', 'clip_0016',
        'clip_0021', 'clip_0022', 'clip_0030', 'clip_0032', 'clip_0033']


def test_one_percent_is_inside_ten_percent_for_one_seed(ntu):
    names, labels = ntu
    one = set(label_fraction_subset(names, labels, 0.01, seed=2))
    assert one < set(label_fraction_subset(names, labels, 0.1, seed=2))


@pytest.mark.parametrize('fraction', [0.01, 0.05, 0.1, 0.33, 0.5, 1.0])
def test_every_class_kept_within_one_of_its_share(fraction):
    names, labels = small()
    keep = label_fraction_subset(names, labels, fraction, seed=5)
    sizes, kept = Counter(labels), Counter(labels[i] for i in keep)
    for c, n in sizes.items():
        assert kept[c] >= 1
        assert abs(kept[c] - fraction * n) <= 1, (fraction, c, kept[c], n)
    if fraction == 1.0:
        assert keep == list(range(len(labels)))


def test_tiny_classes_are_raised_to_one_sample():
    # 1% of 3 + 10 + 25 + 40 samples is 0.78: one per class beats the total
    assert class_counts({0: 3, 1: 10, 2: 25, 3: 40}, 0.01, 0) == \
        {0: 1, 1: 1, 2: 1, 3: 1}


def test_float_error_does_not_cost_a_sample():
    # 0.1 * 70 == 7.000000000000001 and 0.07 * 100 == 7.000000000000001
    assert class_counts({0: 70}, 0.1, 0) == {0: 7}
    assert class_counts({0: 100, 1: 100}, 0.07, 0) == {0: 7, 1: 7}


@pytest.mark.parametrize('bad', [0, -0.1, 1.5, True, '0.1', None])
def test_fraction_outside_zero_one_is_an_error(bad):
    names, labels = small()
    with pytest.raises(ValueError, match=r'fraction=.* \(0, 1\]'):
        label_fraction_subset(names, labels, bad, 0)


def test_repeated_names_and_length_mismatch_are_errors():
    with pytest.raises(ValueError, match="'a' appears more than once"):
        label_fraction_subset(['a', 'b', 'a'], [0, 0, 1], 0.5, 0)
    with pytest.raises(ValueError, match='3 frame_dirs but 2 labels'):
        label_fraction_subset(['a', 'b', 'c'], [0, 1], 0.5, 0)


# --- through SkeletonDataset ------------------------------------------------


@pytest.fixture(scope='module')
def synthetic(tmp_path_factory):
    path = tmp_path_factory.mktemp('lf') / 'syn.pkl'
    data = make_synthetic_dataset(per_class=10, seed=0)
    path.write_bytes(pickle.dumps(data))
    return str(path), data


def build(path, **kwargs):
    cfg = dict(type='SkeletonDataset', ann_file=path, split='train',
               layout='nturgb+d', num_person=2, clip_len=16, pipeline=EVAL)
    cfg.update(kwargs)
    return DATASETS.build(cfg)


def names_of(ds):
    return [ds.get_data_info(i)['frame_dir'] for i in range(len(ds))]


def test_dataset_keeps_a_balanced_seeded_subset(synthetic):
    path, data = synthetic
    full = build(path)
    full_labels = Counter(full.get_data_info(i)['label']
                          for i in range(len(full)))
    with LogLines() as lines:
        part = build(path, label_fraction=0.3, subset_seed=1)
    log = '\n'.join(lines)
    kept = Counter(part.get_data_info(i)['label'] for i in range(len(part)))
    assert set(kept) == set(full_labels)
    for c, n in full_labels.items():
        assert abs(kept[c] - 0.3 * n) <= 1
    assert len(part) == round(0.3 * len(full))
    assert names_of(part) == names_of(build(path, label_fraction=0.3,
                                            subset_seed=1))
    assert names_of(part) != names_of(build(path, label_fraction=0.3,
                                            subset_seed=2))
    # the dataset's order is the file's order, only thinned
    assert names_of(part) == [n for n in names_of(full)
                              if n in set(names_of(part))]
    assert part[0]['inputs'].shape == (1, 2, 16, 25, 3)
    assert f'kept {len(part)} of {len(full)} samples' in log
    assert f'0: {kept[0]}/{full_labels[0]}' in log


def test_dataset_subset_ignores_annotation_order(synthetic, tmp_path):
    path, data = synthetic
    shuffled = dict(data, annotations=list(reversed(data['annotations'])))
    other = tmp_path / 'reversed.pkl'
    other.write_bytes(pickle.dumps(shuffled))
    a = build(path, label_fraction=0.1, subset_seed=7)
    b = build(str(other), label_fraction=0.1, subset_seed=7)
    assert sorted(names_of(a)) == sorted(names_of(b))


def test_dataset_without_label_fraction_keeps_everything(synthetic):
    path, data = synthetic
    assert len(build(path)) == len(data['split']['train'])


@pytest.mark.parametrize('bad', [0, 1.01, -1])
def test_dataset_fraction_outside_zero_one_names_the_key(synthetic, bad):
    with pytest.raises(ValueError, match=r"label_fraction=.* of dataset "
                       r"'syn.pkl' split 'train' .*\(0, 1\]"):
        build(synthetic[0], label_fraction=bad)


def test_dataset_subset_seed_must_be_an_int(synthetic):
    with pytest.raises(ValueError, match='subset_seed=.* not an integer'):
        build(synthetic[0], label_fraction=0.5, subset_seed='1')


def test_dataset_label_fraction_needs_labels(synthetic, tmp_path):
    path, data = synthetic
    anns = [dict(a) for a in data['annotations']]
    del anns[0]['label']
    other = tmp_path / 'unlabelled.pkl'
    other.write_bytes(pickle.dumps(dict(data, annotations=anns)))
    build(str(other))  # fine without a fraction
    with pytest.raises(ValueError, match='have no label'):
        build(str(other), label_fraction=0.5)


def test_a_fraction_below_one_clip_per_class_says_what_it_uses(synthetic):
    """0.01 of ~8 clips per class: every class keeps one clip, so the run
    uses 8 of the split's clips -- said loudly, with the share used."""
    path, _ = synthetic
    full = build(path)
    with pytest.warns(DataSettingsWarning) as record:
        part = build(path, label_fraction=0.01)
    message = str(record[0].message)
    assert len(part) == 8  # one per class
    share = f'{len(part) / len(full):.1%}'
    assert (f'uses {len(part)} of {len(full)} clips = {share} of the '
            'labels, not 1.0%') in message
    assert 'less than one clip for 8 of 8 classes' in message
