import numpy as np
import pytest

from cmd_plugin.converters.synthetic import (_PARENT, SYNTHETIC_CLASSES,
                                           make_synthetic_dataset,
                                           synthesize_sample)

L_SH, R_SH, SPINE = 4, 8, 1


@pytest.fixture(scope='module')
def dataset():
    return make_synthetic_dataset(per_class=40, seed=3, val_fraction=0.25)


def test_format_and_splits(dataset):
    annotations = dataset['annotations']
    assert len(SYNTHETIC_CLASSES) >= 8
    assert len(annotations) == 40 * len(SYNTHETIC_CLASSES)
    assert {len(v)
            for v in dataset['split'].values()
            } == {30 * len(SYNTHETIC_CLASSES), 10 * len(SYNTHETIC_CLASSES)}
    names = [a['frame_dir'] for a in annotations]
    assert sorted(names) == sorted(dataset['split']['train'] +
                                   dataset['split']['val'])
    assert {a['label']
            for a in annotations} == set(range(len(SYNTHETIC_CLASSES)))
    lengths = []
    for ann in annotations:
        keypoint = ann['keypoint']
        assert keypoint.dtype == np.float16
        assert keypoint.shape[0] == 2 and keypoint.shape[2:] == (25, 3)
        assert keypoint.shape[1] == ann['total_frames']
        assert np.isfinite(keypoint).all() and keypoint[0].all()
        lengths.append(ann['total_frames'])
    assert 40 <= min(lengths) and max(lengths) <= 120
    assert np.std(lengths) > 10
    second = np.mean([a['keypoint'][1].any() for a in annotations])
    assert 0.15 < second < 0.6, 'bystander should be there sometimes'


def test_deterministic_and_prefix_stable():
    small = make_synthetic_dataset(per_class=2, seed=5)
    again = make_synthetic_dataset(per_class=3, seed=5)
    other = make_synthetic_dataset(per_class=2, seed=6)
    by_name = {a['frame_dir']: a['keypoint'] for a in again['annotations']}
    for ann, ann6 in zip(small['annotations'], other['annotations']):
        np.testing.assert_array_equal(ann['keypoint'],
                                      by_name[ann['frame_dir']])
        assert ann['keypoint'].shape != ann6['keypoint'].shape or \
            not np.array_equal(ann['keypoint'], ann6['keypoint'])


def test_pairs_are_time_reversals():
    for label in range(0, len(SYNTHETIC_CLASSES), 2):
        forward = synthesize_sample(label, np.random.default_rng(7))
        backward = synthesize_sample(label + 1, np.random.default_rng(7))
        np.testing.assert_array_equal(backward, forward[:, ::-1])


def test_bone_lengths_fixed_within_vary_between_subjects():
    lengths = []
    for seed in range(4):
        keypoint = synthesize_sample(
            4, np.random.default_rng(seed), noise_std=0.)[0]
        bones = np.stack([
            np.linalg.norm(keypoint[:, j] - keypoint[:, p], axis=-1)
            for j, p in _PARENT.items()
        ],
                         axis=1)
        np.testing.assert_allclose(
            bones, bones[:1].repeat(len(bones), 0), atol=1e-5)
        lengths.append(bones[0])
    assert np.ptp(np.stack(lengths), axis=0).max() > 0.02


def test_walk_direction_follows_facing():
    for label, sign in ((4, 1), (5, -1)):
        person = synthesize_sample(
            label, np.random.default_rng(1), noise_std=0.)[0]
        left = person[0, L_SH] - person[0, R_SH]
        facing = np.cross(left, [0, 1, 0])
        moved = person[-1, SPINE] - person[0, SPINE]
        assert sign * np.dot(moved, facing) / np.linalg.norm(facing) > 0.5


def test_bad_arguments():
    with pytest.raises(ValueError):
        synthesize_sample(len(SYNTHETIC_CLASSES), np.random.default_rng(0))
    with pytest.raises(ValueError):
        make_synthetic_dataset(per_class=0)


# --- motion is needed: classifiers on frames / shuffled frames fail ------


def _canonical(frames, ref):
    """Centre ``frames`` (..., 25, 3) on ``ref``'s spine and turn ``ref``'s
    shoulders (seen from above) onto +x; ``ref`` broadcasts."""
    shoulder = ref[..., L_SH, :] - ref[..., R_SH, :]
    yaw = np.arctan2(shoulder[..., 2], shoulder[..., 0])
    cos, sin = np.cos(yaw)[..., None], np.sin(yaw)[..., None]
    x = frames - ref[..., SPINE:SPINE + 1, :]
    return np.stack([
        cos * x[..., 0] + sin * x[..., 2], x[..., 1],
        -sin * x[..., 0] + cos * x[..., 2]
    ],
                    axis=-1)


def _sequence_feature(frames, length=16):
    """Frame-0 canonical trajectory, linearly resampled to ``length``."""
    frames = _canonical(frames, frames[0])
    pos = np.linspace(0, len(frames) - 1, length)
    low = np.floor(pos).astype(int)
    high = np.minimum(low + 1, len(frames) - 1)
    weight = (pos - low)[:, None, None]
    return (frames[low] * (1 - weight) + frames[high] * weight).ravel()


def _features(dataset, split, mode, rng):
    by_name = {a['frame_dir']: a for a in dataset['annotations']}
    features, labels = [], []
    for name in dataset['split'][split]:
        ann = by_name[name]
        frames = ann['keypoint'][0].astype(np.float64)
        if mode == 'frame':
            # Each frame on its own: canonicalised by itself, no context.
            per_frame = _canonical(frames, frames).reshape(len(frames), -1)
            features.extend(per_frame)
            labels.extend([ann['label']] * len(frames))
            continue
        if mode == 'shuffled':
            frames = frames[rng.permutation(len(frames))]
        features.append(_sequence_feature(frames))
        labels.append(ann['label'])
    return np.array(features), np.array(labels)


def _nearest_centroid(train_x, train_y, test_x, num_classes):
    centroids = np.stack(
        [train_x[train_y == c].mean(0) for c in range(num_classes)])
    dist = ((test_x[:, None] - centroids[None])**2).sum(-1)
    return dist.argmin(1)


def _linear(train_x, train_y, test_x, num_classes, ridge=1e-2):
    """Least-squares one-vs-rest linear classifier (ridge regression)."""
    mean, std = train_x.mean(0), train_x.std(0) + 1e-6

    def design(x):
        return np.c_[(x - mean) / std, np.ones(len(x))]

    a = design(train_x)
    weights = np.linalg.solve(a.T @ a + ridge * len(a) * np.eye(a.shape[1]),
                              a.T @ np.eye(num_classes)[train_y])
    return (design(test_x) @ weights).argmax(1)


def test_single_or_shuffled_frames_are_ambiguous(dataset):
    rng = np.random.default_rng(0)
    num_classes = len(SYNTHETIC_CLASSES)
    accuracy = {}
    for mode in ('whole', 'shuffled', 'frame'):
        train_x, train_y = _features(dataset, 'train', mode, rng)
        test_x, test_y = _features(dataset, 'val', mode, rng)
        for name, classify in (('centroid', _nearest_centroid), ('linear',
                                                                 _linear)):
            pred = classify(train_x, train_y, test_x, num_classes)
            accuracy[mode, name] = float((pred == test_y).mean())
    print({f'{m}/{c}': round(a, 3) for (m, c), a in accuracy.items()})
    for name in ('centroid', 'linear'):
        whole = accuracy['whole', name]
        assert whole >= 0.8, accuracy
        assert accuracy['shuffled', name] <= whole - 0.3, accuracy
        assert accuracy['frame', name] <= whole - 0.3, accuracy
        # Time-reversed pairs share all their frames: at best the pair is
        # found, not the direction.
        assert accuracy['frame', name] <= 0.6, accuracy


def test_tool_writes_the_layout_name(tmp_path):
    import pickle

    from cmd_plugin.skeleton.layouts import get_layout
    from tests.datasets.helpers import tool_main

    out = tmp_path / 'synthetic.pkl'
    assert tool_main('make_synthetic.py')(
        ['--out', str(out), '--per-class', '2', '--val-fraction', '0.5']) == 0
    data = pickle.loads(out.read_bytes())
    assert data['layout'] == 'nturgb+d'
    assert get_layout(data['layout'])['num_node'] == \
        data['annotations'][0]['keypoint'].shape[2]
