import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from cmd_plugin.converters import (PENN_LAYOUT, PennConverter,
                                   run_conversion)
from cmd_plugin.converters.penn import PENN_CLASSES, PENN_TO_COCO
from cmd_plugin.skeleton.layouts import (flip_permutation, get_layout,
                                         graph_layout)
from tests.datasets.helpers import skip_reasons, tool_main

PENN_DIR = (Path(__file__).resolve().parents[3] / 'shared' / 'data' /
            'penn-action')


def clip_json(labels, clip, action='bowl', train=1, frames=4, dims=(360, 480),
              seed=0, **override):
    """A labels/NNNN.json with the dataset's fields (ints, like most
    clips)."""
    rng = np.random.default_rng(seed)
    x = rng.integers(50, dims[1] - 50, (frames, 13))
    y = rng.integers(50, dims[0] - 50, (frames, 13))
    visibility = rng.integers(0, 2, (frames, 13))
    content = dict(clip=clip, action=action, pose='front', train=train,
                   nframes=frames, dimensions=[dims[0], dims[1], frames],
                   x=x.tolist(), y=y.tolist(), visibility=visibility.tolist(),
                   bbox=[[10, 10, 100, 200]] * frames)
    content.update(override)
    labels.mkdir(parents=True, exist_ok=True)
    (labels / f'{clip}.json').write_text(json.dumps(content))
    return content


def test_layout_definition_is_coco_restricted_to_penn_joints():
    layout = get_layout(PENN_LAYOUT, where='PENN_LAYOUT')  # validates
    assert layout['num_node'] == 13 and layout['center'] == 0
    # every bone is an edge of MMAction2's own coco graph, mapped to COCO
    import cmd_plugin  # noqa: F401  (makes mmaction.models importable)
    from mmaction.models.utils import Graph
    coco = {tuple(e) for e in Graph(layout='coco').inward}
    bones = {(PENN_TO_COCO[c], PENN_TO_COCO[p])
             for c, p in enumerate(layout['parents']) if c != p}
    assert bones <= coco and len(bones) == 12
    # a flip swaps left_x with right_x by name
    swap = flip_permutation(PENN_LAYOUT)
    names = PENN_LAYOUT['joint_names']
    assert [names[s] for s in swap] == [
        n.replace('left', 'RIGHT').replace('right', 'left').replace(
            'RIGHT', 'right') for n in names]
    assert Graph(layout=graph_layout(PENN_LAYOUT)).A.shape == (3, 13, 13)


def test_small_folder_with_oddities_and_bad_files(tmp_path):
    labels = tmp_path / 'penn-action' / 'labels'
    first = clip_json(labels, '0001', action='baseball_pitch', train=-1)
    # float coordinates and an all-(0, 0) last frame, like 0449
    tail = clip_json(labels, '0002', action='tennis_serve', frames=4, seed=1)
    tail['x'] = (np.asarray(tail['x']) + 0.25).tolist()
    tail['x'][3] = [0] * 13
    tail['y'][3] = [0] * 13
    (labels / '0002.json').write_text(json.dumps(tail))
    # joints beyond the stated frame, like the jump rope clips
    wide = clip_json(labels, '0003', action='jump_rope', frames=2,
                     dims=(393, 480), seed=2)
    wide['x'][1][4], wide['y'][0][7] = 637.26, 567.67
    (labels / '0003.json').write_text(json.dumps(wide))
    clip_json(labels, '0004', x=[[1] * 12] * 4)
    clip_json(labels, '0005', action='dance')
    clip_json(labels, '0006', nframes=9)
    (labels / '0007.json').write_text('{"x": [[1, 2')
    clip_json(labels, '0008', x=[[0] * 13] * 4, y=[[0] * 13] * 4)
    out = tmp_path / 'penn.pkl'
    report = run_conversion(PennConverter(str(tmp_path / 'penn-action')),
                                 str(out))
    assert skip_reasons(report) == {
        '0004': 'wrong joint count', '0005': 'unknown label',
        '0006': 'frame count mismatch', '0007': 'garbled file',
        '0008': 'no body'}
    assert report.summary['all-(0, 0) end frames dropped in'] == '1 (0002)'
    assert report.summary['img_shape widened past dimensions in'] == \
        '1 (0003)'
    data = pickle.loads(out.read_bytes())
    assert data['split'] == {'train': ['0002', '0003'], 'test': ['0001']}
    assert data['classes'] == sorted(data['classes']) and \
        len(data['classes']) == 15
    assert data['layout'] == PENN_LAYOUT
    by_name = {a['frame_dir']: a for a in data['annotations']}
    assert {n: a['label'] for n, a in by_name.items()} == {
        '0001': 0, '0002': 14, '0003': 6}
    one = by_name['0001']
    assert one['keypoint'].shape == (1, 4, 13, 2)
    assert one['keypoint'].dtype == np.float16
    np.testing.assert_array_equal(one['keypoint'][0, :, :, 0], first['x'])
    np.testing.assert_array_equal(one['keypoint'][0, :, :, 1], first['y'])
    np.testing.assert_array_equal(one['keypoint_score'], 1)
    np.testing.assert_array_equal(one['keypoint_visible'][0],
                                  first['visibility'])
    assert one['img_shape'] == one['original_shape'] == (360, 480)
    two = by_name['0002']
    assert two['total_frames'] == 3 and two['keypoint'].shape[1] == 3
    np.testing.assert_allclose(two['keypoint'][0, :, :, 0],
                               np.asarray(tail['x'][:3]), atol=0.25)
    three = by_name['0003']
    assert three['img_shape'] == (568, 638)
    assert three['original_shape'] == (393, 480)
    for ann in data['annotations']:
        h, w = ann['img_shape']
        assert ann['keypoint'][..., 0].max() <= w
        assert ann['keypoint'][..., 1].max() <= h


def test_cli_writes_classes_and_refuses_missing_folder(tmp_path, capsys):
    labels = tmp_path / 'labels'
    clip_json(labels, '0001', train=-1)
    clip_json(labels, '0002', action='squat')
    main = tool_main('penn_to_pkl.py')
    out = tmp_path / 'penn.pkl'
    assert main(['--src', str(labels), '--out', str(out),
                 '--no-progress']) == 0
    printed = capsys.readouterr().out
    assert 'splits: train 1, test 1' in printed
    data = pickle.loads(out.read_bytes())
    assert data['classes'] == list(PENN_CLASSES)
    assert [a['label'] for a in data['annotations']] == [3, 11]
    assert main(['--src', str(tmp_path / 'nowhere'), '--out',
                 str(tmp_path / 'x.pkl'), '--no-progress']) == 2
    assert 'Penn Action folder not found' in capsys.readouterr().out


@pytest.mark.skipif(not PENN_DIR.is_dir(),
                    reason=f'Penn Action not found at {PENN_DIR}')
def test_full_penn_action(tmp_path, capsys):
    out = tmp_path / 'penn.pkl'
    assert tool_main('penn_to_pkl.py')(
        ['--src', str(PENN_DIR), '--out', str(out), '--no-progress']) == 0
    printed = capsys.readouterr().out
    assert 'samples: 2,326' in printed and 'skipped: none' in printed
    assert 'splits: train 1,258, test 1,068' in printed
    assert 'classes: 15\n' in printed
    data = pickle.loads(out.read_bytes())
    annotations = data['annotations']
    counts = np.bincount([a['label'] for a in annotations])
    # the dataset README's per-class counts, in sorted class order
    assert counts.tolist() == [167, 173, 140, 220, 88, 166, 82, 112, 199,
                               211, 100, 231, 94, 157, 186]
    # 163,841 frames minus the two all-(0, 0) end frames
    assert sum(a['total_frames'] for a in annotations) == 163_839
    by_name = {a['frame_dir']: a for a in annotations}
    assert by_name['0449']['total_frames'] == 76
    assert by_name['2173']['total_frames'] == 87
    assert by_name['1021']['img_shape'] == (496, 638)
    assert by_name['1021']['original_shape'] == (393, 480)
    for ann in annotations:
        h, w = ann['img_shape']
        assert ann['keypoint'][..., 0].max() <= w
        assert ann['keypoint'][..., 1].max() <= h
        assert ann['keypoint'].min() >= 0
    # head of the first frame of clip 0001 as in its JSON file
    raw = json.loads((PENN_DIR / 'labels' / '0001.json').read_text())
    np.testing.assert_allclose(by_name['0001']['keypoint'][0, 0, 0],
                               [raw['x'][0][0], raw['y'][0][0]], atol=0.5)
    visible = np.concatenate([a['keypoint_visible'].ravel()
                              for a in annotations])
    assert visible.mean() == pytest.approx(0.78, abs=0.01)  # README: 22% 0


def test_clips_as_mmpose_inferencer_files_convert_back(tmp_path, capsys):
    """README "your own videos" without videos: Penn clips written as
    MMPose's inferencer writes a video's poses, then converted by
    poses_to_pkl.py, hold Penn's joints at their COCO-17 places, score 1;
    the eyes and ears Penn lacks score 0; labels from the action folders."""
    labels = tmp_path / 'penn' / 'labels'
    clips = {'0001': clip_json(labels, '0001', 'bowl', frames=5),
             '0002': clip_json(labels, '0002', 'squat', frames=3, seed=1),
             '0003': clip_json(labels, '0003', 'bowl', frames=4, seed=2)}
    clips['0002']['x'][1] = [0] * 13  # a frame with nobody detected
    clips['0002']['y'][1] = [0] * 13
    (labels / '0002.json').write_text(json.dumps(clips['0002']))
    (labels / '0004.json').write_text('{"action": ')  # broken: reported
    poses = tmp_path / 'poses'
    assert tool_main('penn_as_pose_estimates.py')(
        ['--src', str(tmp_path / 'penn'), '--out', str(poses)]) == 0
    printed = capsys.readouterr().out
    assert 'wrote 3 pose-estimate files' in printed
    assert 'skipped 0004.json: garbled file' in printed
    written = json.loads((poses / 'squat' / '0002.json').read_text())
    assert [f['frame_id'] for f in written] == [0, 1, 2]
    assert written[1]['instances'] == []
    assert len(written[0]['instances'][0]['keypoints']) == 17
    out = tmp_path / 'poses.pkl'
    assert tool_main('poses_to_pkl.py')(
        ['--src', str(poses), '--out', str(out), '--img-shape', '360',
         '480', '--no-progress']) == 0
    data = pickle.loads(out.read_bytes())
    assert data['classes'] == ['bowl', 'squat']
    by_name = {a['frame_dir']: a for a in data['annotations']}
    for name, content in clips.items():
        got = by_name[name]
        assert got['label'] == int(content['action'] == 'squat')
        xy = np.stack([content['x'], content['y']], -1).astype(np.float16)
        coco = list(PENN_TO_COCO)
        np.testing.assert_array_equal(got['keypoint'][0][:, coco], xy)
        annotated = (xy != 0).any((1, 2))
        np.testing.assert_array_equal(got['keypoint_score'][0][:, coco],
                                      np.repeat(annotated[:, None], 13, 1))
        others = [j for j in range(17) if j not in coco]
        assert not got['keypoint_score'][0][:, others].any()
