"""The keypoint store: a table-of-contents pickle plus one memory-mapped
.npy. A store of a pickle must give the dataset, its record and every
pipeline output exactly what the whole pickle gives, keep the keypoints
out of what a rank serialises, and name the file and the fix when the two
files do not belong together. pyskl's Kinetics kpfiles convert into it."""
import pickle
import runpy
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.config import Config

import cmd_plugin  # noqa: F401
from cmd_plugin.converters import run_conversion, store_writer
from cmd_plugin.converters.pickle_source import PickleCopyConverter
from cmd_plugin.converters.pyskl_kinetics import PysklKineticsConverter
from cmd_plugin.converters.synthetic import make_synthetic_dataset
from cmd_plugin.datasets.data_record import read_record
from cmd_plugin.datasets.keypoint_store import (KeypointStore,
                                                store_array_path)
from cmd_plugin.datasets.transforms.rng import seed_pipeline_rng
from mmaction.registry import DATASETS
from tests.datasets.test_skeleton_dataset_2d import CPU_TRAIN, VAL

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = dict(num_person=2, clip_len=16, min_crop_length=8)


def whole_and_store(tmp_path, dims):
    whole = tmp_path / f'whole-{dims}d.pkl'
    whole.write_bytes(pickle.dumps(make_synthetic_dataset(per_class=3,
                                                          dims=dims)))
    store = tmp_path / f'store-{dims}d.pkl'
    run_conversion(PickleCopyConverter(str(whole)), str(store),
                   keypoint_store=True)
    return str(whole), str(store)


def seeded(dataset, i):
    seed_pipeline_rng(i)
    return dataset[i]


def build(ann_file, pipeline, split='train', **kwargs):
    return DATASETS.build(dict(type='SkeletonDataset', ann_file=ann_file,
                               split=split, pipeline=pipeline, **SETTINGS,
                               **kwargs))


@pytest.mark.parametrize('dims', [2, 3])
def test_a_store_gives_what_the_whole_pickle_gives(tmp_path, dims):
    whole, store = whole_and_store(tmp_path, dims)
    assert Path(store_array_path(store)).is_file()
    assert read_record(store) == read_record(whole)
    for pipeline, split, mode in ((CPU_TRAIN, 'train', False),
                                  (VAL, 'val', True)):
        a = build(whole, pipeline, split, test_mode=mode)
        b = build(store, pipeline, split, test_mode=mode)
        assert len(a) == len(b) > 0
        for i in range(len(a)):
            x, y = seeded(a, i), seeded(b, i)
            assert torch.equal(x['inputs'], y['inputs'])
            assert x['data_samples'].gt_label == y['data_samples'].gt_label


def test_a_rank_serialises_the_table_of_contents_only(tmp_path):
    whole, store = whole_and_store(tmp_path, 2)
    a, b = build(whole, VAL, 'val'), build(store, VAL, 'val')
    # MMEngine's serialised data list is what each rank (and worker) holds
    assert b.data_bytes.nbytes * 5 < a.data_bytes.nbytes
    # a worker started by spawn receives the dataset pickled: no array
    # travels with it, and it maps the file again
    b[0]
    copy = pickle.loads(pickle.dumps(b))
    assert copy._store._array is None
    assert torch.equal(copy[1]['inputs'], b[1]['inputs'])


def test_labels_are_read_without_reading_keypoints(tmp_path, monkeypatch):
    _, store = whole_and_store(tmp_path, 2)
    knn = DATASETS.build(dict(type='KNNEvalDataset', ann_file=store,
                              reference_split='train', query_split='val',
                              pipeline=VAL, max_reference=4, **SETTINGS))
    reads = []
    monkeypatch.setattr(KeypointStore, 'read',
                        lambda self, a: reads.append(a) or {})
    assert len(knn) == 4 + len(knn.query)
    assert reads == []


def test_files_that_do_not_belong_together_are_named(tmp_path):
    _, store = whole_and_store(tmp_path, 2)
    npy = Path(store_array_path(store))
    rows = np.load(npy)
    np.save(npy, rows[:10])
    with pytest.raises(ValueError, match=r'shape \(10, 17, 3\) float32, but '
                       r'.* says \(\d+, V, 3\).*write the store again'):
        build(store, VAL)
    np.save(npy, rows[..., :2])
    with pytest.raises(ValueError, match=r'says \(\d+, V, 3\)'):
        build(store, VAL)
    np.save(npy, rows.astype(np.float16))
    with pytest.raises(ValueError, match='float16, but .* float32'):
        build(store, VAL)
    npy.unlink()
    with pytest.raises(FileNotFoundError, match='keypoint.npy.*beside the'):
        build(store, VAL)


def test_a_clip_beyond_the_array_is_named(tmp_path):
    _, store = whole_and_store(tmp_path, 2)
    data = pickle.loads(Path(store).read_bytes())
    data['annotations'][-1]['keypoint_offset'] = data['keypoint_store'][
        'rows']
    Path(store).write_bytes(pickle.dumps(data))
    name = data['annotations'][-1]['frame_dir']
    with pytest.raises(ValueError, match=f"clip '{name}' needs rows"):
        build(store, VAL, 'val')


def test_a_rewrite_that_fails_leaves_the_old_pair(tmp_path, monkeypatch):
    whole, store = whole_and_store(tmp_path, 2)
    before = [seeded(build(store, VAL, 'val'), i)['inputs'] for i in (0, 1)]
    old_npy = store_array_path(store)
    data = pickle.loads(Path(whole).read_bytes())
    for a in data['annotations']:
        a['keypoint'] = a['keypoint'] * 0 + 7
    other = tmp_path / 'other.pkl'
    other.write_bytes(pickle.dumps(data))

    def crash(obj, path):
        raise OSError('disk full')

    monkeypatch.setattr(store_writer, 'dump_pickle_atomic', crash)
    with pytest.raises(OSError, match='disk full'):
        run_conversion(PickleCopyConverter(str(other)), store,
                       keypoint_store=True)
    assert store_array_path(store) == old_npy
    assert sorted(p.name for p in tmp_path.glob('*store-2d.*')) == sorted(
        [Path(old_npy).name, 'store-2d.pkl']), 'the failed write left files'
    after = [seeded(build(store, VAL, 'val'), i)['inputs'] for i in (0, 1)]
    assert all(torch.equal(a, b) for a, b in zip(before, after))
    monkeypatch.undo()
    run_conversion(PickleCopyConverter(str(other)), store,
                   keypoint_store=True)
    new_npy = store_array_path(store)
    assert new_npy != old_npy and not Path(old_npy).exists()
    assert float(build(store, VAL, 'val').get_sample(0)['keypoint'].max()
                 ) == 7


def test_bad_clips_are_reported_and_skipped(tmp_path):
    data = make_synthetic_dataset(per_class=2, dims=2)
    clips = data['annotations']
    clips[1]['keypoint_score'] = clips[1]['keypoint_score'][:, :-1]
    clips[2]['keypoint'] = clips[2]['keypoint'][0]  # no person axis
    clips[3]['keypoint'] = clips[3]['keypoint'].copy()
    clips[3]['keypoint'][0, 0, 0, 0] = np.nan
    clips[4]['keypoint'] = clips[4]['keypoint'][:, :0]  # no frame
    # float32 first: a float64 value it cannot hold is not rounded
    clips[5]['keypoint'] = clips[5]['keypoint'].astype(np.float64) + 1e-9
    src = tmp_path / 'bad.pkl'
    src.write_bytes(pickle.dumps(data))
    report = run_conversion(PickleCopyConverter(str(src)),
                            str(tmp_path / 'out.pkl'), keypoint_store=True)
    reasons = {s.name: s.reason for s in report.skipped}
    names = [c['frame_dir'] for c in clips]
    assert reasons == {names[1]: 'wrong shape', names[2]: 'wrong shape',
                       names[3]: 'non-finite coordinates',
                       names[4]: 'wrong shape',
                       names[5]: 'inconsistent dtype'}


def test_other_dtypes_are_kept_exactly(tmp_path):
    data = make_synthetic_dataset(per_class=2, dims=3)
    for a in data['annotations']:
        a['keypoint'] = a['keypoint'].astype(np.float64) / 3
    src = tmp_path / 'f64.pkl'
    src.write_bytes(pickle.dumps(data))
    out = tmp_path / 'f64-store.pkl'
    run_conversion(PickleCopyConverter(str(src)), str(out),
                   keypoint_store=True)
    toc = pickle.loads(out.read_bytes())
    store = KeypointStore(str(out), toc['keypoint_store'])
    for a, entry in zip(data['annotations'], toc['annotations']):
        np.testing.assert_array_equal(store.read(entry)['keypoint'],
                                      a['keypoint'])
    with pytest.raises(ValueError, match='is a keypoint store already'):
        PickleCopyConverter(str(out))


def test_a_kpfile_table_of_contents_names_the_conversion(tmp_path):
    toc, _ = pyskl_kinetics(tmp_path)
    with pytest.raises(ValueError, match='raw_file.*make_keypoint_store.py '
                       '--src .* --kpfiles DIR'):
        build(toc, VAL)


def test_mixed_kinds_of_keypoints_are_reported_and_skipped(tmp_path):
    data = make_synthetic_dataset(per_class=2, dims=2)
    odd = data['annotations'][1]
    odd['keypoint'] = odd['keypoint'][:, :, :5]
    odd['keypoint_score'] = odd['keypoint_score'][:, :, :5]
    src = tmp_path / 'mixed.pkl'
    src.write_bytes(pickle.dumps(data))
    report = run_conversion(PickleCopyConverter(str(src)),
                            str(tmp_path / 'out.pkl'), keypoint_store=True)
    assert [s.name for s in report.skipped] == [odd['frame_dir']]
    assert report.skipped[0].reason == 'inconsistent shape'
    assert report.summary['samples'] == len(data['annotations']) - 1


def pyskl_kinetics(tmp_path):
    """A table of contents and two kpfiles shaped as pyskl ships Kinetics:
    one (x, y, score) row per detected skeleton, its frame and box score
    in the table of contents."""
    rng = np.random.default_rng(0)

    def rows(n):
        kp = rng.uniform(0, 300, (n, 17, 3)).astype(np.float16)
        kp[..., 2] = rng.uniform(0.2, 1, (n, 17))
        return kp

    clips = {
        # frames 0, 0, 1, 3; the second skeleton's box is below 0.5
        'a': (np.array([0, 0, 1, 3]), np.array([0.9, 0.3, 0.8, 0.7]),
              rows(4), 'part_0.pkl'),
        # three skeletons in frame 0: two kept, by summed keypoint score
        'b': (np.array([0, 0, 0, 1]), np.ones(4), rows(4), 'part_0.pkl'),
        'c': (np.array([0, 1]), np.array([0.1, 0.2]), rows(2),
              'part_1.pkl'),  # no box passes
        'd': (np.array([2]), np.ones(1), rows(1), 'part_9.pkl'),  # missing
        # frames out of order: DecompressPose refuses; its kpfile's
        # other clips stay
        'e': (np.array([2, 0]), np.ones(2), rows(2), 'part_0.pkl'),
    }
    kpfiles = tmp_path / 'kpfiles'
    kpfiles.mkdir()
    for part in ('part_0.pkl', 'part_1.pkl'):
        (kpfiles / part).write_bytes(pickle.dumps({
            name: dict(keypoint=kp) for name, (_, _, kp, p) in clips.items()
            if p == part}))
    annotations = [dict(frame_dir=name, label=i, total_frames=5,
                        img_shape=(340, 256), original_shape=(340, 256),
                        raw_file=f'data/k400/kpfiles/{part}',
                        frame_inds=inds, box_score=box)
                   for i, (name, (inds, box, _, part))
                   in enumerate(clips.items())]
    toc = tmp_path / 'k400_hrnet.pkl'
    toc.write_bytes(pickle.dumps(dict(
        split=dict(train=['a', 'b', 'c', 'e'], val=['d']),
        annotations=annotations)))
    return str(toc), (str(kpfiles), clips)


def test_pyskl_kinetics_kpfiles_become_a_store(tmp_path):
    toc, (kpfiles, clips) = pyskl_kinetics(tmp_path)
    out = tmp_path / 'k400_2d.pkl'
    report = run_conversion(PysklKineticsConverter(toc, kpfiles), str(out),
                            keypoint_store=True)
    assert {s.name: s.reason for s in report.skipped} == {
        'c': 'no person', 'part_9': 'missing kpfile', 'e': 'unreadable'}
    data = pickle.loads(out.read_bytes())
    assert data['layout'] == 'coco'
    store = KeypointStore(str(out), data['keypoint_store'])
    by_name = {a['frame_dir']: a for a in data['annotations']}
    a = store.read(by_name['a'])
    kp = clips['a'][2]
    # frames 0, 1, 3 kept (squeezed), one person each
    assert a['keypoint'].shape == (1, 3, 17, 2)
    np.testing.assert_array_equal(a['keypoint'][0], kp[[0, 2, 3], :, :2])
    np.testing.assert_array_equal(a['keypoint_score'][0], kp[[0, 2, 3], :, 2])
    b = store.read(by_name['b'])
    kp = clips['b'][2]
    top = np.argsort(-kp[:3, :, 2].astype(np.float32).sum(-1))[:2]
    assert b['keypoint'].shape == (2, 2, 17, 2)
    np.testing.assert_array_equal(b['keypoint'][:, 0], kp[top, :, :2])
    assert data['split'] == dict(train=['a', 'b'], val=[])


def test_the_command_line_converts_kpfiles_and_names_a_wrong_folder(
        tmp_path, capsys):
    toc, (kpfiles, _) = pyskl_kinetics(tmp_path)
    main = runpy.run_path(str(ROOT / 'tools' / 'data' /
                              'make_keypoint_store.py'))['main']
    out = tmp_path / 'k400_2d.pkl'
    assert main(['--src', toc, '--kpfiles', kpfiles, '--out', str(out),
                 '--no-progress', '--allow-empty-splits']) == 0
    printed = capsys.readouterr().out
    assert 'samples: 2' in printed and 'no person' in printed
    assert Path(store_array_path(str(out))).is_file()
    assert main(['--src', toc, '--kpfiles', str(tmp_path / 'nope'), '--out',
                 str(tmp_path / 'x.pkl'), '--no-progress']) == 2
    assert 'is not a folder' in capsys.readouterr().out
    assert not (tmp_path / 'x.pkl').exists()

