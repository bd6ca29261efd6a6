import pickle
from pathlib import Path

import numpy as np
import pytest

from cmd_plugin.converters import SBUConverter, run_conversion
from cmd_plugin.skeleton.layouts import get_layout
from tests.datasets.helpers import skip_reasons, tool_main

SBU_DIR = (Path(__file__).resolve().parents[3] / 'shared' / 'data' /
           'sbu-interaction')


def write_sequence(root, pset, action, seq, frames=5, columns=91, raw=None):
    folder = root / pset / f'{action:02d}' / f'{seq:03d}'
    folder.mkdir(parents=True)
    path = folder / 'skeleton_pos.txt'
    if raw is not None:
        path.write_text(raw)
        return path
    rng = np.random.default_rng(action * 10 + seq)
    rows = np.concatenate([np.arange(55, 55 + frames)[:, None],
                           rng.uniform(0.2, 0.8, (frames, columns - 1))], 1)
    np.savetxt(path, rows, delimiter=',', fmt='%.6f')
    return path


def test_folds_units_and_bad_files(tmp_path):
    src = tmp_path / 'sbu'
    write_sequence(src, 's01s02', 1, 1, frames=4)   # fold 1
    write_sequence(src, 's02s03', 8, 2, frames=6)   # fold 2
    write_sequence(src, 's06s03', 3, 1, frames=3)   # fold 5
    write_sequence(src, 's01s02', 2, 1, columns=90)
    write_sequence(src, 's09s01', 2, 1)
    write_sequence(src, 's01s03', 9, 1)
    write_sequence(src, 's01s07', 4, 1, raw='1,2,three\n')
    write_sequence(src, 's07s01', 5, 1, raw='')
    out = tmp_path / 'sbu.pkl'
    report = run_conversion(SBUConverter(str(src)), str(out))
    assert skip_reasons(report) == {
        's01s02_a02_001': 'wrong joint count',
        's09s01_a02_001': 'unknown participant set',
        's01s03_a09_001': 'unknown label',
        's01s07_a04_001': 'garbled file',
        's07s01_a05_001': 'zero frames',
    }
    data = pickle.loads(out.read_bytes())
    assert data['layout'] == 'sbu'
    by_name = {a['frame_dir']: a for a in data['annotations']}
    assert {n: a['label'] for n, a in by_name.items()} == {
        's01s02_a01_001': 0, 's02s03_a08_002': 7, 's06s03_a03_001': 2}
    assert data['split']['fold1_val'] == ['s01s02_a01_001']
    assert data['split']['fold2_val'] == ['s02s03_a08_002']
    assert data['split']['fold5_val'] == ['s06s03_a03_001']
    assert data['split']['fold1_train'] == ['s02s03_a08_002',
                                            's06s03_a03_001']
    assert data['split']['fold3_val'] == []
    sample = by_name['s02s03_a08_002']
    assert sample['keypoint'].shape == (2, 6, 15, 3)
    # the README's inverse of the normalised units, in metres
    rows = np.loadtxt(src / 's02s03' / '08' / '002' / 'skeleton_pos.txt',
                      delimiter=',')
    x, y, z = rows[0, 1:4]
    np.testing.assert_allclose(
        sample['keypoint'][0, 0, 0],
        [(1280 - 2560 * x) / 1000, (960 - 1920 * y) / 1000,
         z * 10000 / 7.8125 / 1000], rtol=2e-3)
    bx = rows[0, 1 + 45]  # person B, joint 1, x
    np.testing.assert_allclose(sample['keypoint'][1, 0, 0, 0],
                               (1280 - 2560 * bx) / 1000, rtol=2e-3)


def test_layout_is_a_tree_with_mirrored_limbs():
    layout = get_layout('sbu')
    assert layout['num_node'] == 15
    parents = layout['parents']
    assert parents[2] == 2  # the torso is the root
    assert parents[0] == 1 and parents[1] == 2  # head -> neck -> torso
    for left, right in layout['flip_pairs']:
        # a flip maps each limb bone onto its mirror image
        assert (parents[left] in (1, 2)) == (parents[right] in (1, 2))


@pytest.mark.skipif(not SBU_DIR.is_dir(),
                    reason=f'SBU data not found at {SBU_DIR}')
def test_full_sbu(tmp_path, capsys):
    out = tmp_path / 'sbu.pkl'
    main = tool_main('sbu_to_pkl.py')
    assert main(['--src', str(SBU_DIR), '--out', str(out),
                 '--no-progress']) == 0
    printed = capsys.readouterr().out
    assert 'samples: 282' in printed and 'skipped: none' in printed
    # the dataset README's fold sizes
    for k, size in enumerate((55, 52, 56, 54, 65), 1):
        assert f'fold{k}_val {size}' in printed
        assert f'fold{k}_train {282 - size}' in printed
    data = pickle.loads(out.read_bytes())
    lengths = [a['total_frames'] for a in data['annotations']]
    assert (min(lengths), max(lengths), sum(lengths)) == (10, 46, 6822)
    # real 3D: the upper arm (left shoulder -> elbow) is about 0.29 m
    arm = np.concatenate([
        np.linalg.norm(a['keypoint'][:, :, 4].astype(np.float64) -
                       a['keypoint'][:, :, 3], axis=-1).ravel()
        for a in data['annotations']])
    assert 0.25 < np.median(arm) < 0.33
