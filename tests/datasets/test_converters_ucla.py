import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from cmd_plugin.converters import UCLAConverter, run_conversion
from cmd_plugin.skeleton.layouts import get_layout
from tests.datasets.helpers import skip_reasons, tool_main

UCLA_DIR = Path(__file__).resolve().parents[3] / 'shared' / 'data' / 'nw-ucla'


def write_json(folder, name, skeletons, label=None, raw=None):
    path = folder / f'{name}.json'
    if raw is not None:
        path.write_text(raw)
        return
    content = dict(file_name=name, skeletons=skeletons)
    if label is not None:
        content['label'] = label
    path.write_text(json.dumps(content))


def frames(num_frames, joints=20, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(0, 0.3, (num_frames, joints, 3)) + [0, 0, 3]).tolist()


def test_small_set_with_bad_files(tmp_path):
    src = tmp_path / 'ucla'
    src.mkdir()
    write_json(src, 'a01_s01_e00_v01', frames(5), label=1)
    write_json(src, 'a12_s02_e01_v03', frames(3), label=10)
    write_json(src, 'a08_s03_e02_v02', frames(1))  # no label field: fine
    write_json(src, 'a07_s01_e00_v01', frames(5), label=7)
    write_json(src, 'a02_s01_e00_v04', frames(5), label=2)
    write_json(src, 'a02_s01_e01_v01', frames(5), label=3)
    write_json(src, 'a03_s01_e00_v01', frames(5, joints=25), label=3)
    ragged = frames(3)
    ragged[1] = ragged[1][:19]
    write_json(src, 'a03_s01_e01_v01', ragged, label=3)
    nan = frames(3)
    nan[2][4][0] = float('nan')
    write_json(src, 'a04_s01_e00_v01', nan, label=4)
    write_json(src, 'a05_s01_e00_v01', [], label=5)
    write_json(src, 'a06_s01_e00_v01', None, raw='{"skeletons": [[[1, 2')
    write_json(src, 'a09_s01_e00_v01', np.zeros((4, 20, 3)).tolist(), label=8)
    write_json(src, 'walk', frames(2), label=1)
    out = tmp_path / 'ucla.pkl'
    report = run_conversion(UCLAConverter(str(src)), str(out))
    assert skip_reasons(report) == {
        'a07_s01_e00_v01': 'unknown label',
        'a02_s01_e00_v04': 'unknown view',
        'a02_s01_e01_v01': 'label mismatch',
        'a03_s01_e00_v01': 'wrong joint count',
        'a03_s01_e01_v01': 'wrong joint count',
        'a04_s01_e00_v01': 'non-finite coordinates',
        'a05_s01_e00_v01': 'zero frames',
        'a06_s01_e00_v01': 'garbled file',
        'a09_s01_e00_v01': 'no body',
        'walk': 'bad file name',
    }
    data = pickle.loads(out.read_bytes())
    labels = {a['frame_dir']: a['label'] for a in data['annotations']}
    assert labels == {
        'a01_s01_e00_v01': 0,
        'a08_s03_e02_v02': 6,
        'a12_s02_e01_v03': 9
    }
    assert data['split'] == {
        'xview_train': ['a01_s01_e00_v01', 'a08_s03_e02_v02'],
        'xview_val': ['a12_s02_e01_v03']
    }
    for ann in data['annotations']:
        assert ann['keypoint'].shape == (1, ann['total_frames'], 20, 3)
        assert ann['keypoint'].dtype == np.float16


@pytest.mark.skipif(
    not UCLA_DIR.is_dir(), reason=f'NW-UCLA data not found at {UCLA_DIR}')
def test_full_nw_ucla(tmp_path, capsys):
    out = tmp_path / 'ucla.pkl'
    main = tool_main('ucla_to_pkl.py')
    assert main(['--src',
                 str(UCLA_DIR), '--out',
                 str(out), '--no-progress']) == 0
    printed = capsys.readouterr().out
    assert 'samples: 1,484' in printed
    assert 'splits: xview_train 1,020, xview_val 464' in printed
    assert 'classes: 10\n' in printed and 'skipped: none' in printed
    data = pickle.loads(out.read_bytes())
    annotations = data['annotations']
    assert len(annotations) == 1484
    assert sorted({a['label'] for a in annotations}) == list(range(10))
    by_name = {a['frame_dir']: a for a in annotations}
    sample = by_name['a01_s01_e00_v01']
    assert sample['label'] == 0
    assert sample['keypoint'].shape == (1, sample['total_frames'], 20, 3)
    # Raw coordinates, unnormalised: hip centre of the first frame as in the
    # JSON file.
    np.testing.assert_allclose(
        sample['keypoint'][0, 0, 0], [-0.619699, 0.328046, 3.18186], rtol=1e-3)
    actions = sorted({name[:3] for name in by_name})
    assert all(a['label'] == actions.index(a['frame_dir'][:3])
               for a in annotations)
    assert all(
        name.endswith(('v01', 'v02')) for name in data['split']['xview_train'])
    assert all(name.endswith('v03') for name in data['split']['xview_val'])


def test_upper_case_suffix_and_layout(tmp_path):
    write_json(tmp_path, 'a01_s01_e00_v01', frames(5), label=1)
    write_json(tmp_path, 'a02_s01_e00_v03', frames(4), label=2)
    (tmp_path / 'a02_s01_e00_v03.json').rename(tmp_path /
                                               'a02_s01_e00_v03.JSON')
    out = tmp_path / 'out' / 'ucla.pkl'
    run_conversion(UCLAConverter(str(tmp_path)), str(out))
    data = pickle.loads(out.read_bytes())
    assert data['split'] == {
        'xview_train': ['a01_s01_e00_v01'],
        'xview_val': ['a02_s01_e00_v03']
    }
    assert data['layout'] == 'nw-ucla'
    assert get_layout(data['layout'])['num_node'] == 20
