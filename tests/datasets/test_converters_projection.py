"""A 3-D pickle seen by a camera (tools/data/project_to_2d.py): pixels of
one frame shared by every clip, image y down, score 1 for present joints
and 0 (at 0, 0) for missing ones, the layout kept with coord_dims=2."""
import pickle

import numpy as np
import pytest

from cmd_plugin.converters import run_conversion
from cmd_plugin.converters.projection import ProjectionConverter
from cmd_plugin.datasets.data_record import read_record
from cmd_plugin.skeleton.layouts import get_layout


def three_d(tmp_path):
    rng = np.random.default_rng(0)
    clips = []
    for i in range(4):
        keypoint = rng.uniform(-1, 1, (1, 6, 20, 3)).astype(np.float16)
        keypoint[..., 2] += 3  # in front of the camera
        clips.append(dict(frame_dir=f'c{i}', label=i % 2, keypoint=keypoint,
                          total_frames=6))
    clips[0]['keypoint'][0, 2, 5] = 0  # a missing joint
    clips[1]['keypoint'][0, 0, 7, 2] = -1  # behind a pinhole camera
    path = tmp_path / 'ucla.pkl'
    path.write_bytes(pickle.dumps(dict(
        layout='nw-ucla', classes=['a', 'b'],
        split=dict(train=['c0', 'c1', 'c2'], val=['c3']), annotations=clips)))
    return str(path), clips


def test_orthographic_projection(tmp_path):
    src, clips = three_d(tmp_path)
    out = tmp_path / 'ucla-xy.pkl'
    run_conversion(ProjectionConverter(src), str(out))
    data = pickle.loads(out.read_bytes())
    layout = data['layout']
    assert layout['name'] == 'nw-ucla-xy' and layout['coord_dims'] == 2
    assert layout['parents'] == get_layout('nw-ucla')['parents']
    assert data['split'] == dict(train=['c0', 'c1', 'c2'], val=['c3'])
    assert data['classes'] == ['a', 'b']
    shapes = {a['img_shape'] for a in data['annotations']}
    assert len(shapes) == 1  # one camera frame for the set
    h, w = shapes.pop()
    first = data['annotations'][0]
    assert first['keypoint'].shape == (1, 6, 20, 2)
    assert first['keypoint_score'][0, 2, 5] == 0
    assert (first['keypoint'][0, 2, 5] == 0).all()
    assert first['keypoint_score'].sum() == 6 * 20 - 1
    present = np.concatenate([a['keypoint'][a['keypoint_score'] > 0]
                              for a in data['annotations']]).astype(float)
    assert present.min() >= 0 and present[:, 0].max() <= w \
        and present[:, 1].max() <= h
    # orthographic: pixel differences are the world's, y flipped, one scale
    x3, y3 = (clips[2]['keypoint'][0, 0, :, :2].astype(float).T)
    u, v = data['annotations'][2]['keypoint'][0, 0].astype(float).T
    scale = np.polyfit(x3, u, 1)[0]
    assert scale == pytest.approx(200, rel=0.01)
    assert np.polyfit(y3, v, 1)[0] == pytest.approx(-200, rel=0.01)
    record = read_record(str(out))
    assert record['channels'] == 3  # x, y, score


def test_pinhole_projection_drops_joints_behind_the_camera(tmp_path):
    src, clips = three_d(tmp_path)
    out = tmp_path / 'pinhole.pkl'
    run_conversion(ProjectionConverter(src, camera='pinhole'), str(out))
    data = pickle.loads(out.read_bytes())
    clip = data['annotations'][1]
    assert clip['img_shape'] == (480, 640)
    assert clip['keypoint_score'][0, 0, 7] == 0
    x, y, z = clips[1]['keypoint'][0, 1, 3].astype(float)
    u, v = clip['keypoint'][0, 1, 3].astype(float)
    assert u == pytest.approx(525 * x / z + 320, abs=0.5)
    assert v == pytest.approx(-525 * y / z + 240, abs=0.5)


def test_a_2d_pickle_is_refused(tmp_path):
    src, _ = three_d(tmp_path)
    out = tmp_path / 'xy.pkl'
    run_conversion(ProjectionConverter(src), str(out))
    with pytest.raises(ValueError, match='2-D keypoints already'):
        ProjectionConverter(str(out))
    with pytest.raises(ValueError, match='camera='):
        ProjectionConverter(src, camera='fisheye')


def test_a_clip_with_nan_is_skipped_not_the_set(tmp_path):
    src, clips = three_d(tmp_path)
    data = pickle.loads(open(src, 'rb').read())
    data['annotations'][2]['keypoint'][0, 1, 1, 0] = np.nan
    with open(src, 'wb') as f:
        pickle.dump(data, f)
    report = run_conversion(ProjectionConverter(src),
                            str(tmp_path / 'xy.pkl'))
    assert {s.name: s.reason for s in report.skipped} == {
        'c2': 'non-finite coordinates'}
    assert report.summary['samples'] == 3
