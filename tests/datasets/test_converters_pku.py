import pickle

import numpy as np
import pytest

from cmd_plugin.converters import (PKUConverter, read_pku_skeleton,
                                            read_split_file, run_conversion)
from tests.datasets.helpers import skip_reasons, tool_main


def frames_array(num_frames, two_bodies=False, seed=0):
    """(T, 2, 25, 3) coordinates whose x encodes the frame index."""
    rng = np.random.default_rng(seed)
    data = rng.normal(0, 0.2, (num_frames, 2, 25, 3)) + [0, 0, 3]
    data[..., 0] = np.arange(num_frames)[:, None, None] / 100
    if not two_bodies:
        data[:, 1] = 0
    return data


def write_video(root, video, frames, labels):
    (root / 'skeleton').mkdir(exist_ok=True)
    (root / 'label').mkdir(exist_ok=True)
    (root / 'skeleton' / f'{video}.txt').write_text(''.join(
        ' '.join(f'{v:.6f}' for v in frame.ravel()) + '\n'
        for frame in frames))
    (root / 'label' / f'{video}.txt').write_text(''.join(line + '\n'
                                                         for line in labels))


def write_splits(folder, xsub_train, xview_train, val=('X', )):
    folder.mkdir(exist_ok=True)
    for name, train in (('cross_subject_v2.txt', xsub_train),
                        ('cross_view_v2.txt', xview_train)):
        (folder /
         name).write_text('Training videos: \n' + ', '.join(train) + ',\n'
                          'Validataion videos: \n' + ', '.join(val) + '\n')


@pytest.fixture
def pku_root(tmp_path):
    root = tmp_path / 'pku'
    root.mkdir()
    write_video(root, 'A01N01-L', frames_array(500), [
        '3,10,20,1', '51,100,450,0.9', '52,0,5,1', '2,30,30,1', 'x,1,2,1',
        '7,495,520,1'
    ])
    write_video(root, 'A01N01-M', frames_array(50, two_bodies=True),
                ['1,0,50,1'])
    bad = frames_array(20)
    bad[12, 0, 3, 1] = np.nan
    write_video(root, 'A02N01-R', bad, ['4,0,10,1', '5,10,20,1'])
    (root / 'skeleton' / 'A03N01-L.txt').write_text('1 2 3\n4 5 6\n')
    (root / 'label' / 'A03N01-L.txt').write_text('1,0,2,1\n')
    (root / 'label' / 'A04N01-L.txt').write_text('1,0,2,1\n')
    write_splits(root / 'split', ['A01N01-L', 'A01N01-M'],
                 ['A01N01-M', 'A02N01-R'])
    return root


def test_split_file_parsing(tmp_path):
    write_splits(tmp_path, ['A01N01-L', 'A02N03-M'], ['B'])
    assert read_split_file(str(
        tmp_path / 'cross_subject_v2.txt')) == {'A01N01-L', 'A02N03-M'}
    (tmp_path / 'empty.txt').write_text('Training videos:\n')
    with pytest.raises(ValueError, match='header'):
        read_split_file(str(tmp_path / 'empty.txt'))


def test_read_skeleton(tmp_path):
    write_video(tmp_path, 'V', frames_array(7, two_bodies=True), [])
    frames = read_pku_skeleton(str(tmp_path / 'skeleton' / 'V.txt'))
    assert frames.shape == (2, 7, 25, 3)
    np.testing.assert_allclose(
        frames[1, 6], frames_array(7, True)[6, 1], atol=1e-6)


def convert(root, out, max_frames=300):
    converter = PKUConverter(
        str(root / 'skeleton'), str(root / 'label'),
        str(root / 'split' / 'cross_subject_v2.txt'),
        str(root / 'split' / 'cross_view_v2.txt'), max_frames)
    return run_conversion(converter, str(out))


def test_intervals_labels_cut_and_splits(pku_root, tmp_path):
    out = tmp_path / 'pku.pkl'
    report = convert(pku_root, out)
    data = pickle.loads(out.read_bytes())
    anns = {a['frame_dir']: a for a in data['annotations']}
    assert sorted(anns) == [
        'A01N01-L_000', 'A01N01-L_001', 'A01N01-L_005', 'A01N01-M_000',
        'A02N01-R_000'
    ]
    first = anns['A01N01-L_000']
    assert first['label'] == 2 and first['total_frames'] == 10
    assert first['keypoint'].shape == (1, 10, 25, 3)  # empty body dropped
    # frames[start:end]: frame 10 is the first one.
    assert float(first['keypoint'][0, 0, 0, 0]) == pytest.approx(0.10, 1e-3)
    long = anns['A01N01-L_001']
    assert long['label'] == 50 and long['total_frames'] == 300
    assert float(long['keypoint'][0, -1, 0, 0]) == pytest.approx(3.99, 1e-3)
    # An end past the skeleton is clamped, as the authors' slicing does.
    assert anns['A01N01-L_005']['total_frames'] == 5
    assert anns['A01N01-M_000']['keypoint'].shape == (2, 50, 25, 3)
    assert data['split'] == {
        'xsub_train':
        ['A01N01-L_000', 'A01N01-L_001', 'A01N01-L_005', 'A01N01-M_000'],
        'xsub_val': ['A02N01-R_000'],
        'xview_train': ['A01N01-M_000', 'A02N01-R_000'],
        'xview_val': ['A01N01-L_000', 'A01N01-L_001', 'A01N01-L_005'],
    }
    assert skip_reasons(report) == {
        'A01N01-L_002': 'unknown label',
        'A01N01-L_003': 'empty interval',
        'A01N01-L_004': 'garbled label',
        'A02N01-R_001': 'non-finite coordinates',
        'A03N01-L': 'wrong joint count',
        'A04N01-L': 'missing skeleton file',
    }
    assert report.summary['cut'].startswith('1 clips')


def test_max_frames_zero_keeps_all(pku_root, tmp_path):
    out = tmp_path / 'pku.pkl'
    convert(pku_root, out, max_frames=0)
    anns = {
        a['frame_dir']: a
        for a in pickle.loads(out.read_bytes())['annotations']
    }
    assert anns['A01N01-L_001']['total_frames'] == 350
    convert(pku_root, out, max_frames=8)
    anns = {
        a['frame_dir']: a
        for a in pickle.loads(out.read_bytes())['annotations']
    }
    assert anns['A01N01-L_001']['total_frames'] == 8


def test_cli_finds_split_folder(pku_root, tmp_path, capsys):
    out = tmp_path / 'pku.pkl'
    main = tool_main('pku_to_pkl.py')
    status = main([
        '--src',
        str(pku_root), '--out',
        str(out), '--no-progress', '--max-frames', '300'
    ])
    assert status == 0
    printed = capsys.readouterr().out
    assert 'samples: 5 (from 5 source files)' in printed
    assert 'classes: 5 (dataset has 51)' in printed
    assert 'missing skeleton file: 1' in printed
    with pytest.raises(SystemExit):
        main(['--src', str(tmp_path / 'nowhere'), '--out', str(out)])


def test_split_file_matching_no_video_is_an_error(pku_root, tmp_path,
                                                  capsys):
    write_splits(pku_root / 'split', ['B01N01-L', 'B01N01-M', 'B02N01-R',
                                      'B03N01-L'], ['A01N01-M'])
    xsub = pku_root / 'split' / 'cross_subject_v2.txt'
    with pytest.raises(ValueError) as info:
        convert(pku_root, tmp_path / 'pku.pkl')
    message = str(info.value)
    assert message.startswith(f'{xsub}: none of its 4 training videos')
    assert 'B01N01-L, B01N01-M, B02N01-R, ...' in message
    assert 'A01N01-L, A01N01-M, A02N01-R, ...' in message
    out = tmp_path / 'pku.pkl'
    status = tool_main('pku_to_pkl.py')(
        ['--src', str(pku_root), '--out', str(out), '--no-progress'])
    assert status == 2
    assert capsys.readouterr().out.startswith(f'error: {xsub}: none of')
    assert not out.exists()


def test_split_file_without_videos_is_an_error(tmp_path):
    (tmp_path / 'split.txt').write_text('Training videos:\n , ,\n')
    with pytest.raises(ValueError, match='lists no training video'):
        read_split_file(str(tmp_path / 'split.txt'))


def test_every_video_in_training_is_an_empty_split(pku_root, tmp_path,
                                                   capsys):
    videos = ['A01N01-L', 'A01N01-M', 'A02N01-R']
    write_splits(pku_root / 'split', videos, videos)
    out = tmp_path / 'pku.pkl'
    status = tool_main('pku_to_pkl.py')(
        ['--src', str(pku_root), '--out', str(out), '--no-progress'])
    assert status == 1
    assert 'splits xsub_val, xview_val would be empty' in \
        capsys.readouterr().out
    assert not out.exists()


def test_layout_and_upper_case_suffixes(pku_root, tmp_path):
    write_video(pku_root, 'A05N01-L', frames_array(30), ['6,0,30,1'])
    (pku_root / 'label' / 'A05N01-L.txt').rename(pku_root / 'label' /
                                                 'A05N01-L.TXT')
    (pku_root / 'skeleton' / 'A05N01-L.txt').rename(pku_root / 'skeleton' /
                                                    'A05N01-L.Txt')
    out = tmp_path / 'pku.pkl'
    convert(pku_root, out)
    data = pickle.loads(out.read_bytes())
    assert data['layout'] == 'nturgb+d'
    labels = {a['frame_dir']: a['label'] for a in data['annotations']}
    assert labels['A05N01-L_000'] == 5


def _part1_root(tmp_path, labels_0_based):
    """A PKU-MMD part I folder as released: its own folder names, split
    file names and video names."""
    root = tmp_path / 'pku1'
    root.mkdir()
    first, last = (0, 50) if labels_0_based else (1, 51)
    write_video(root, '0002-L', frames_array(60),
                [f'{first},0,20,1', f'{last},20,40,1'])
    write_video(root, '0002-M', frames_array(30), [f'{first + 4},0,30,1'])
    (root / 'skeleton').rename(root / 'PKU_Skeleton_Renew')
    (root / 'label').rename(root / 'Train_Label_PKU_final')
    split = root / 'Split'
    split.mkdir()
    for name, train in (('cross-subject.txt', '0002-L'),
                        ('cross-view.txt', '0002-M')):
        (split / name).write_text(f'Training videos: \n{train},\n'
                                  'Validation videos: \nX\n')
    return root


@pytest.mark.parametrize('labels_0_based', [True, False])
def test_part_one_layout_and_label_base_read_from_labels(
        tmp_path, labels_0_based):
    root = _part1_root(tmp_path, labels_0_based)
    out = tmp_path / 'pku1.pkl'
    status = tool_main('pku_to_pkl.py')([
        '--part', '1', '--src', str(root), '--out', str(out),
        '--no-progress', '--xsub-file', str(root / 'Split' /
                                             'cross-subject.txt'),
        '--xview-file', str(root / 'Split' / 'cross-view.txt')])
    assert status == 0
    data = pickle.loads(out.read_bytes())
    labels = {a['frame_dir']: a['label'] for a in data['annotations']}
    # the first and last class are 0 and 50 whichever way the file counts
    assert labels == {'0002-L_000': 0, '0002-L_001': 50, '0002-M_000': 4}
    assert data['split']['xsub_train'] == ['0002-L_000', '0002-L_001']
    assert data['split']['xview_train'] == ['0002-M_000']


def test_part_one_label_base_that_cannot_be_told_is_an_error(
        tmp_path, capsys):
    root = _part1_root(tmp_path, labels_0_based=True)
    # ids 4 and 7 only: 0-based or 1-based, the file does not say
    for video in ('0002-L', '0002-M'):
        (root / 'Train_Label_PKU_final' / f'{video}.txt').write_text(
            '4,0,20,1\n7,20,30,1\n')
    out = tmp_path / 'pku1.pkl'
    args = ['--part', '1', '--src', str(root), '--out', str(out),
            '--no-progress',
            '--xsub-file', str(root / 'Split' / 'cross-subject.txt'),
            '--xview-file', str(root / 'Split' / 'cross-view.txt')]
    main = tool_main('pku_to_pkl.py')
    assert main(args) == 2
    assert 'give --label-base 0 or --label-base 1' in capsys.readouterr().out
    assert not out.exists()
    assert main(args + ['--label-base', '1']) == 0
    labels = sorted(a['label'] for a in
                    pickle.loads(out.read_bytes())['annotations'])
    assert labels == [3, 3, 6, 6]


def test_part_one_default_split_names(tmp_path):
    root = _part1_root(tmp_path, labels_0_based=False)
    (root / 'Split').rename(root / 'split')  # found in SRC/split
    out = tmp_path / 'pku1.pkl'
    assert tool_main('pku_to_pkl.py')(['--part', '1', '--src', str(root),
                                       '--out', str(out),
                                       '--no-progress']) == 0
