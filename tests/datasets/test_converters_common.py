import json
import os
import pickle

import numpy as np
import pytest

from cmd_plugin.converters import (ConversionReport, EmptySplit,
                                            NothingConverted, SampleError,
                                            SkeletonConverter,
                                            drop_empty_bodies,
                                            dump_pickle_atomic,
                                            files_with_suffix,
                                            finalize_keypoint, format_summary,
                                            output_problem, run_conversion)
from cmd_plugin.converters import io as converters_io


class _Unpicklable:

    def __reduce__(self):
        raise RuntimeError('disk full (simulated)')


def test_atomic_dump_leaves_nothing_on_failure(tmp_path):
    out = tmp_path / 'out.pkl'
    # Fails after part of the list has been written to the temp file.
    with pytest.raises(RuntimeError, match='simulated'):
        dump_pickle_atomic([np.zeros(1000), _Unpicklable()], str(out))
    assert os.listdir(tmp_path) == []
    dump_pickle_atomic({'a': 1}, str(out))
    with pytest.raises(RuntimeError):
        dump_pickle_atomic([_Unpicklable()], str(out))
    # The previous complete file survives a failed overwrite.
    assert pickle.loads(out.read_bytes()) == {'a': 1}
    assert os.listdir(tmp_path) == ['out.pkl']


def test_atomic_dump_creates_dirs_with_normal_permissions(tmp_path):
    out = tmp_path / 'a' / 'b.pkl'
    dump_pickle_atomic([1], str(out))
    assert pickle.loads(out.read_bytes()) == [1]
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_finalize_keypoint_checks():
    good = finalize_keypoint(np.ones((2, 3, 25, 3)), 25)
    assert good.dtype == np.float16 and good.shape == (2, 3, 25, 3)
    cases = [(np.ones((1, 3, 20, 3)), 'wrong joint count'),
             (np.ones((1, 0, 25, 3)), 'zero frames'),
             (np.ones((0, 3, 25, 3)), 'no body'),
             (np.full((1, 3, 25, 3), np.inf), 'non-finite coordinates'),
             (np.full((1, 3, 25, 3), 1e6), 'non-finite coordinates'),
             (np.ones((3, 25, 3)), 'wrong shape')]
    for keypoint, reason in cases:
        with pytest.raises(SampleError) as info:
            finalize_keypoint(keypoint, 25)
        assert info.value.reason == reason


def test_drop_empty_bodies_keeps_nan_persons():
    keypoint = np.zeros((3, 2, 25, 3))
    keypoint[1, 1, 3] = 1
    keypoint[2, 0, 0, 0] = np.nan
    kept = drop_empty_bodies(keypoint)
    assert kept.shape[0] == 2 and kept[0, 1, 3, 0] == 1


class _ListConverter(SkeletonConverter):
    """Sources are strings; 'bad*' fails, 'oops' raises a plain error."""

    split_names = ('train', 'val')
    num_classes = 3
    layout = 'nturgb+d'

    def __init__(self, names):
        self.names = names

    def sources(self):
        return self.names

    def convert(self, source, report):
        if source.startswith('bad'):
            raise SampleError('garbled file', 'line 3')
        if source == 'oops':
            raise IndexError('list index out of range')
        return [
            dict(
                frame_dir=source.split('#')[0],
                label=len(source) % 3,
                keypoint=np.ones((1, 2, 25, 3), np.float16),
                total_frames=2)
        ]

    def splits_of(self, annotation):
        return ['val' if annotation['frame_dir'].startswith('v') else 'train']


def test_run_conversion_reports_and_keeps_going(tmp_path):
    out = tmp_path / 'x.pkl'
    converter = _ListConverter(['a', 'bad1', 'v1', 'oops', 'a#dup', 'bb'])
    report = run_conversion(converter, str(out))
    data = pickle.loads(out.read_bytes())
    assert [a['frame_dir'] for a in data['annotations']] == ['a', 'v1', 'bb']
    assert data['split'] == {'train': ['a', 'bb'], 'val': ['v1']}
    assert dict(report.counts_by_reason()) == {
        'duplicate name': 1,
        'garbled file': 1,
        'unreadable': 1
    }
    assert report.summary['samples'] == 3
    assert report.summary['splits'] == {'train': 2, 'val': 1}
    text = '\n'.join(format_summary(report))
    assert 'samples: 3 (from 6 source files)' in text
    assert 'splits: train 2, val 1' in text
    assert 'unreadable: 1 - oops (IndexError: list index out of range)' \
        in text
    report.write(str(tmp_path / 'r.json'))
    saved = json.loads((tmp_path / 'r.json').read_text())
    assert saved['skipped_by_reason']['garbled file'] == 1
    assert {
        'name': 'bad1',
        'reason': 'garbled file',
        'detail': 'line 3'
    } in saved['skipped']


def test_nothing_converted_writes_nothing(tmp_path):
    out = tmp_path / 'x.pkl'
    with pytest.raises(NothingConverted) as info:
        run_conversion(_ListConverter(['bad1', 'bad2']), str(out))
    assert not out.exists()
    assert len(info.value.report.skipped) == 2


def test_failure_while_writing_leaves_no_output(tmp_path, monkeypatch):

    def broken_dump(obj, file, protocol=None):
        file.write(b'partial')
        raise OSError('No space left on device (simulated)')

    monkeypatch.setattr(converters_io.pickle, 'dump', broken_dump)
    with pytest.raises(OSError, match='simulated'):
        run_conversion(_ListConverter(['a']), str(tmp_path / 'x.pkl'))
    assert os.listdir(tmp_path) == []


def test_report_format_examples():
    report = ConversionReport()
    for i in range(5):
        report.add(f's{i}', 'no body')
    report.add('t', 'zero frames', 'frame count is 0')
    lines = report.format_skipped(max_examples=2)
    assert lines[0] == 'skipped: 6'
    assert lines[1] == '  no body: 5 - s0, s1 ...'
    assert lines[2] == '  zero frames: 1 - t (frame count is 0)'


def test_layout_is_stored_and_pose_dataset_ignores_it(tmp_path):
    from mmaction.datasets import PoseDataset

    out = tmp_path / 'x.pkl'
    run_conversion(_ListConverter(['a', 'v1', 'bb']), str(out))
    data = pickle.loads(out.read_bytes())
    assert data['layout'] == 'nturgb+d'
    assert sorted(data) == ['annotations', 'layout', 'split']
    # MMAction2 reads only `split` and `annotations` of the dict.
    dataset = PoseDataset(str(out), pipeline=[], split='train')
    assert [d['frame_dir'] for d in dataset] == ['a', 'bb']


def test_converter_without_layout_is_refused(tmp_path):

    class NoLayout(_ListConverter):
        layout = ''

    with pytest.raises(ValueError, match='NoLayout sets no `layout`'):
        run_conversion(NoLayout(['a']), str(tmp_path / 'x.pkl'))
    assert os.listdir(tmp_path) == []


def test_empty_split_is_refused_unless_allowed(tmp_path):
    out = tmp_path / 'x.pkl'
    with pytest.raises(EmptySplit, match='split val would be empty') as info:
        run_conversion(
            _ListConverter(['a', 'bb']), str(out), allow_empty_splits=False)
    assert not out.exists()
    assert info.value.report.summary['splits'] == {'train': 2, 'val': 0}
    run_conversion(_ListConverter(['a', 'bb']), str(out))
    assert pickle.loads(out.read_bytes())['split']['val'] == []


def test_files_with_suffix_ignores_letter_case(tmp_path):
    for name in ('b.json', 'a.JSON', 'c.Json', 'd.jsonx', 'e.txt'):
        (tmp_path / name).write_text('{}')
    (tmp_path / 'f.json').mkdir()
    found = files_with_suffix(str(tmp_path), '.json')
    assert [os.path.basename(p) for p in found] == ['a.JSON', 'b.json',
                                                    'c.Json']


def test_output_problem(tmp_path, monkeypatch):
    (tmp_path / 'file').write_text('')
    assert output_problem(str(tmp_path / 'new' / 'dir' / 'x.pkl')) == ''
    assert output_problem(str(tmp_path / 'file')) == ''
    assert 'is a directory' in output_problem(str(tmp_path))
    assert output_problem(str(tmp_path / 'file' / 'x.pkl')) == (
        f"{tmp_path / 'file'} is a file, not a directory")
    # Tests may run as root, for whom every directory is writable.
    monkeypatch.setattr(converters_io.os, 'access', lambda path, mode: False)
    assert output_problem(str(tmp_path / 'x.pkl')) == (
        f'directory {tmp_path} is not writable')


def test_report_write_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / 'r.json'
    report = ConversionReport()
    report.add('s', 'no body')
    report.write(str(path))
    before = path.read_text()

    def broken_replace(src, dst):
        raise OSError('No space left on device (simulated)')

    monkeypatch.setattr(converters_io.os, 'replace', broken_replace)
    report.add('t', 'zero frames')
    with pytest.raises(OSError, match='simulated'):
        report.write(str(path))
    assert path.read_text() == before
    assert os.listdir(tmp_path) == ['r.json']
