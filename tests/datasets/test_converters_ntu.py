import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from cmd_plugin.converters import (NTUConverter, body_energy,
                                            read_name_list, read_skeleton_file,
                                            run_conversion, select_bodies)
from cmd_plugin.converters.ntu import NTUName, ntu_splits
from cmd_plugin.skeleton.layouts import get_layout
from tests.datasets.helpers import skip_reasons, tool_main


def skeleton_text(frames):
    """NTU .skeleton text; ``frames`` is a list (per frame) of lists of
    (25, 3) arrays (one per body)."""
    lines = [str(len(frames))]
    for bodies in frames:
        lines.append(str(len(bodies)))
        for index, xyz in enumerate(bodies):
            lines.append(f'7205759403793{index:04d} 0 1 1 1 1 0 '
                         '0.0276 -0.0575 2')
            lines.append(str(len(xyz)))
            lines.extend(' '.join(f'{v:.7g}' for v in joint) +
                         ' 0.29 0.17 277.3 191.2 0.06 -0.05 0.99 -0.07 2'
                         for joint in xyz)
    return '\n'.join(lines) + '\n'


def pose(offset=(0., 0., 3.), seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 0.2, (25, 3)) + offset


def write(folder, name, frames):
    path = Path(folder) / f'{name}.skeleton'
    path.write_text(
        frames if isinstance(frames, str) else skeleton_text(frames))
    return path


def one_body(num_frames=3, shift=0.0):
    return [[pose() + [shift * t, 0, 0]] for t in range(num_frames)]


def test_read_frames_bodies_and_empty_frames(tmp_path):
    a, b = pose(seed=1), pose(seed=2)
    path = write(tmp_path, 'S001C001P001R001A001', [[a], [], [a, b]])
    bodies = read_skeleton_file(str(path))
    assert bodies.shape == (2, 3, 25, 3)
    np.testing.assert_allclose(bodies[0, 0], a, rtol=1e-6)
    assert not bodies[:, 1].any()
    np.testing.assert_allclose(bodies[1, 2], b, rtol=1e-6)
    assert not bodies[1, :2].any()


def test_body_selection_by_motion_energy():
    frames = 6
    wiggle = np.sin(np.arange(frames))[:, None, None] * [1., 0, 0]
    static = np.broadcast_to(pose(), (frames, 25, 3))
    bodies = np.stack([
        static, static + 1.0 * wiggle, static + 0.3 * wiggle,
        np.zeros((frames, 25, 3))
    ])
    energies = [body_energy(b) for b in bodies]
    assert energies[1] > energies[2] > energies[0] > energies[3] == 0
    kept = select_bodies(bodies)
    np.testing.assert_array_equal(kept, bodies[[1, 2]])
    # Only one real body: the empty second slot is dropped, M = 1.
    assert select_bodies(bodies[[0, 3]]).shape == (1, frames, 25, 3)
    # Energy ignores empty frames: a body absent in half the frames but
    # static where present has the energy of a static body.
    partial = static.copy()
    partial[::2] = 0
    assert body_energy(partial) == pytest.approx(body_energy(static))


def test_conversion_picks_two_most_energetic_bodies(tmp_path):
    frames = []
    for t in range(5):
        still = pose(seed=1)
        fast = pose(seed=2) + [np.sin(t), 0, 0]
        slow = pose(seed=3) + [0.2 * np.sin(t), 0, 0]
        frames.append([still, fast, slow])
    write(tmp_path, 'S001C001P001R001A007', frames)
    out = tmp_path / 'out.pkl'
    run_conversion(NTUConverter(str(tmp_path)), str(out))
    (ann, ) = pickle.loads(out.read_bytes())['annotations']
    assert ann['label'] == 6 and ann['total_frames'] == 5
    assert ann['keypoint'].dtype == np.float16
    assert ann['keypoint'].shape == (2, 5, 25, 3)
    np.testing.assert_allclose(
        ann['keypoint'][0], [f[1] for f in frames], atol=2e-3)
    np.testing.assert_allclose(
        ann['keypoint'][1], [f[2] for f in frames], atol=2e-3)


def test_name_and_splits():
    name = NTUName.parse('S017C003P038R002A060')
    assert (name.setup, name.camera, name.performer, name.replication,
            name.action) == (17, 3, 38, 2, 60)
    assert ntu_splits(name, 'ntu60') == ['xsub_train', 'xview_train']
    assert ntu_splits(NTUName.parse('S001C001P003R001A001'),
                      'ntu60') == ['xsub_val', 'xview_val']
    assert ntu_splits(NTUName.parse('S018C001P045R001A061'),
                      'ntu120') == ['xsub_train', 'xset_train']
    assert ntu_splits(NTUName.parse('S019C002P044R001A120'),
                      'ntu120') == ['xsub_val', 'xset_val']


@pytest.mark.parametrize('dataset, expected', [
    ('ntu60', {
        'xsub_train': ['S001C001P001R001A001', 'S002C002P002R001A060'],
        'xsub_val': ['S001C003P003R001A002'],
        'xview_train': ['S001C003P003R001A002', 'S002C002P002R001A060'],
        'xview_val': ['S001C001P001R001A001']
    }),
    ('ntu120', {
        'xsub_train': [
            'S001C001P001R001A001', 'S002C002P002R001A060',
            'S018C001P045R001A061'
        ],
        'xsub_val': ['S001C003P003R001A002', 'S019C001P044R001A120'],
        'xset_train': ['S002C002P002R001A060', 'S018C001P045R001A061'],
        'xset_val': [
            'S001C001P001R001A001', 'S001C003P003R001A002',
            'S019C001P044R001A120'
        ]
    }),
])
def test_splits_in_file(tmp_path, dataset, expected):
    for name in ('S001C001P001R001A001', 'S001C003P003R001A002',
                 'S002C002P002R001A060', 'S018C001P045R001A061',
                 'S019C001P044R001A120'):
        write(tmp_path, name, one_body())
    out = tmp_path / 'out.pkl'
    report = run_conversion(NTUConverter(str(tmp_path), dataset), str(out))
    data = pickle.loads(out.read_bytes())
    assert data['split'] == expected
    labels = {a['frame_dir']: a['label'] for a in data['annotations']}
    assert labels['S002C002P002R001A060'] == 59
    if dataset == 'ntu60':
        assert dict(report.counts_by_reason()) == {'not in dataset': 2}
    else:
        assert labels['S019C001P044R001A120'] == 119
        assert not report.skipped


def bad_inputs(folder):
    """Write one broken file per failure mode; return name -> reason."""
    good = skeleton_text(one_body(4))
    lines = good.splitlines()
    write(folder, 'S001C001P001R001A001', good)
    write(folder, 'S001C001P001R001A002', '\n'.join(lines[:-5]))
    garbled = lines.copy()
    garbled[10] = 'x.y9 ' + garbled[10].split(' ', 1)[1]
    write(folder, 'S001C001P001R001A003', '\n'.join(garbled))
    twenty = skeleton_text([[pose()[:20]]])
    write(folder, 'S001C001P001R001A004', twenty)
    nan = lines.copy()
    nan[5] = 'nan ' + nan[5].split(' ', 1)[1]
    write(folder, 'S001C001P001R001A005', '\n'.join(nan))
    write(folder, 'S001C001P001R001A006', '0\n')
    write(folder, 'S001C001P001R001A007', skeleton_text([[], []]))
    write(folder, 'S001C001P001R001A099', good)
    write(folder, 'notantu', good)
    (Path(folder) /
     'S001C001P001R001A008.skeleton').write_bytes(b'\xff\xfe\x00\x81binary')
    write(folder, 'S001C001P001R001A009', good + '3 junk\n')
    write(folder, 'S001C001P001R001A010', '99999999\n1\n')
    return {
        'S001C001P001R001A002': 'truncated file',
        'S001C001P001R001A003': 'garbled file',
        'S001C001P001R001A004': 'wrong joint count',
        'S001C001P001R001A005': 'non-finite coordinates',
        'S001C001P001R001A006': 'zero frames',
        'S001C001P001R001A007': 'no body',
        'S001C001P001R001A099': 'unknown label',
        'notantu': 'bad file name',
        'S001C001P001R001A008': 'garbled file',
        'S001C001P001R001A009': 'garbled file',
        'S001C001P001R001A010': 'truncated file',
    }


def test_bad_inputs_are_skipped_and_reported(tmp_path):
    src = tmp_path / 'src'
    src.mkdir()
    expected = bad_inputs(src)
    out = tmp_path / 'out.pkl'
    report = run_conversion(NTUConverter(str(src)), str(out))
    assert skip_reasons(report) == expected
    details = {s.name: s.detail for s in report.skipped}
    assert 'line' in details['S001C001P001R001A003']
    assert '20 joints' in details['S001C001P001R001A004']
    data = pickle.loads(out.read_bytes())
    assert [a['frame_dir']
            for a in data['annotations']] == ['S001C001P001R001A001']


def test_ignore_list_and_cli(tmp_path, capsys):
    src = tmp_path / 'src'
    src.mkdir()
    for action in (1, 2, 3):
        write(src, f'S001C002P002R001A00{action}', one_body(3, shift=0.1))
    ignore = tmp_path / 'missing.txt'
    ignore.write_text('# missing skeletons\nS001C002P002R001A002.skeleton\n'
                      '\nS009C001P001R001A001\n')
    out, report = tmp_path / 'ntu.pkl', tmp_path / 'report.json'
    main = tool_main('ntu_to_pkl.py')
    status = main([
        '--src',
        str(src), '--out',
        str(out), '--ignore-list',
        str(ignore), '--report',
        str(report), '--no-progress', '--allow-empty-splits'
    ])
    assert status == 0
    printed = capsys.readouterr().out
    assert 'samples: 2 (from 3 source files)' in printed
    assert 'xsub_train 2, xsub_val 0, xview_train 2, xview_val 0' in printed
    assert 'ignore list: 1 of 2 listed names found and dropped' in printed
    assert 'in ignore list: 1 - S001C002P002R001A002' in printed
    data = pickle.loads(out.read_bytes())
    assert [a['label'] for a in data['annotations']] == [0, 2]
    saved = json.loads(report.read_text())
    assert saved['skipped'] == [{
        'name': 'S001C002P002R001A002',
        'reason': 'in ignore list',
        'detail': ''
    }]
    assert saved['summary']['samples'] == 2


def test_cli_all_bad_writes_nothing(tmp_path, capsys):
    src = tmp_path / 'src'
    src.mkdir()
    write(src, 'S001C001P001R001A001', '0\n')
    out = tmp_path / 'ntu.pkl'
    main = tool_main('ntu_to_pkl.py')
    assert main(['--src', str(src), '--out', str(out), '--no-progress']) == 1
    assert not out.exists()
    assert 'zero frames: 1' in capsys.readouterr().out


def test_unknown_dataset_and_missing_dir(tmp_path):
    with pytest.raises(ValueError, match='ntu60'):
        NTUConverter(str(tmp_path), 'ntu90')
    with pytest.raises(FileNotFoundError):
        NTUConverter(str(tmp_path / 'nope'))


OFFICIAL_HEADER = ('The following 302 samples have missing or incomplete '
                   'skeletons.\nPlease ignore them in your experiments.\n')


def test_ignore_list_counts_only_sample_names(tmp_path, capsys):
    src = tmp_path / 'src'
    src.mkdir()
    for name in ('S001C002P002R001A001', 'S001C003P003R001A002'):
        write(src, name, one_body(3, shift=0.1))
    ignore = tmp_path / 'missing.txt'
    ignore.write_text(OFFICIAL_HEADER + '\nS001C002P002R001A001\n'
                      'S009C001P001R001A001\nS001C001P001R001A003.SKELETON\n')
    names = read_name_list(str(ignore))
    assert names.names == {
        'S001C002P002R001A001', 'S009C001P001R001A001', 'S001C001P001R001A003'
    }
    assert names.other_lines == tuple(OFFICIAL_HEADER.splitlines())
    out = tmp_path / 'ntu.pkl'
    status = tool_main('ntu_to_pkl.py')([
        '--src',
        str(src), '--out',
        str(out), '--ignore-list',
        str(ignore), '--no-progress', '--allow-empty-splits'
    ])
    assert status == 0
    assert ("ignore list: 1 of 3 listed names found and dropped; 2 lines "
            "without a sample name not counted (first: 'The following 302 "
            "samples have missing or incomple')") in capsys.readouterr().out


def test_ignore_list_without_names_is_an_error(tmp_path, capsys):
    ignore = tmp_path / 'missing.txt'
    ignore.write_text(OFFICIAL_HEADER)
    with pytest.raises(ValueError, match='no sample name'):
        read_name_list(str(ignore))
    status = tool_main('ntu_to_pkl.py')([
        '--src',
        str(tmp_path), '--out',
        str(tmp_path / 'x.pkl'), '--ignore-list',
        str(ignore)
    ])
    assert status == 2
    assert capsys.readouterr().out.startswith(f'error: {ignore}: no sample')


def test_layout_and_upper_case_suffix(tmp_path):
    write(tmp_path, 'S001C001P001R001A001', one_body())
    (tmp_path / 'S001C001P001R001A001.skeleton').rename(
        tmp_path / 'S001C001P001R001A002.SKELETON')
    write(tmp_path, 'S001C001P001R001A003', one_body())
    out = tmp_path / 'out.pkl'
    run_conversion(NTUConverter(str(tmp_path)), str(out))
    data = pickle.loads(out.read_bytes())
    assert [a['frame_dir'] for a in data['annotations']
            ] == ['S001C001P001R001A002', 'S001C001P001R001A003']
    assert data['layout'] == 'nturgb+d'
    assert get_layout(data['layout'])['num_node'] == 25
