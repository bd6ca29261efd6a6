"""Pose-estimate converter, on files written exactly as MMPose 1.x and
MMAction2 write them (see cmd_plugin/converters/pose_estimates.py)."""
import json
import pickle

import numpy as np
import pytest

from cmd_plugin.converters import (PoseEstimateConverter,
                                   run_conversion, read_mmpose_json)
from cmd_plugin.converters.labels import read_label_csv, stratified_val
from cmd_plugin.skeleton.layouts import LAYOUTS
from tests.datasets.helpers import skip_reasons, tool_main


def person(x0, score, joints=17, dims=2):
    """One MMPose instance (split_instances' fields): keypoints at
    x0 + joint index, every joint scored ``score``; bbox as a 1-tuple of a
    list, like MMPose's."""
    keypoints = [[x0 + j, 100.0 + j, 5.0][:dims] for j in range(joints)]
    return dict(keypoints=keypoints, keypoint_scores=[score] * joints,
                bbox=[[x0, 100.0, x0 + 40, 300.0]], bbox_score=0.9)


def inferencer_json(path, frames):
    """What MMPoseInferencer(...)(video, pred_out_dir=...) writes: one
    entry per frame, frame ids from 0."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(
        [dict(frame_id=i, instances=inst) for i, inst in enumerate(frames)],
        indent='  '))


def demo_json(path, frames, **meta):
    """What topdown_demo_with_mmdet.py --save-predictions writes: frame ids
    from 1, under instance_info, with the model's dataset meta."""
    path.parent.mkdir(parents=True, exist_ok=True)
    meta_info = dict(dataset_name='coco', num_keypoints=17,
                     keypoint_id2name={str(i): f'k{i}' for i in range(17)})
    meta_info.update(meta)
    path.write_text(json.dumps(dict(
        meta_info=meta_info,
        instance_info=[dict(frame_id=i + 1, instances=inst)
                       for i, inst in enumerate(frames)]), indent='\t'))


def extraction_pickle(path, keypoint, score, label=0):
    """What MMAction2's ntu_pose_extraction.py writes for one video."""
    path.parent.mkdir(parents=True, exist_ok=True)
    anno = dict(keypoint=keypoint.astype(np.float32),
                keypoint_score=score.astype(np.float32),
                frame_dir=path.stem, img_shape=(1080, 1920),
                original_shape=(1080, 1920), total_frames=keypoint.shape[1],
                label=label)
    path.write_bytes(pickle.dumps(anno))


def convert(tmp_path, src, **kwargs):
    out = tmp_path / 'out.pkl'
    report = run_conversion(PoseEstimateConverter(str(src), **kwargs),
                                 str(out))
    return report, pickle.loads(out.read_bytes())


def test_top_persons_by_mean_score_and_padding(tmp_path):
    src = tmp_path / 'poses'
    inferencer_json(src / 'wave' / 'clip.json', [
        [person(10, 0.2), person(20, 0.9), person(30, 0.5)],
        [person(40, 0.3)],
        [],
    ])
    # at most one person per frame: M = 1 however many are allowed
    inferencer_json(src / 'wave' / 'solo.json', [[person(50, 0.4)], []])
    report, data = convert(tmp_path, src, img_shape=(480, 640))
    assert skip_reasons(report) == {}
    by_name = {a['frame_dir']: a for a in data['annotations']}
    clip = by_name['clip']
    assert clip['keypoint'].shape == (2, 3, 17, 2)
    assert clip['keypoint_score'].shape == (2, 3, 17)
    # frame 0: the 0.9 person first, then the 0.5 one; 0.2 dropped
    assert clip['keypoint'][:, 0, 0, 0].tolist() == [20, 30]
    assert clip['keypoint_score'][:, 0, 0].tolist() == pytest.approx(
        [0.9, 0.5], abs=1e-3)
    # frame 1: one person, the second slot zeros with score 0
    assert clip['keypoint'][:, 1, 0, 0].tolist() == [40, 0]
    assert clip['keypoint_score'][1, 1].max() == 0
    # frame 2: nobody
    assert not clip['keypoint'][:, 2].any()
    assert clip['keypoint'][0, 0, 16].tolist() == [36, 116]
    assert clip['total_frames'] == 3 and clip['img_shape'] == (480, 640)
    assert by_name['solo']['keypoint'].shape == (1, 2, 17, 2)
    assert report.summary['persons'].startswith('1 frames of 1 clips')
    assert data['layout'] == 'coco'
    _, data = convert(tmp_path, src, max_persons=1, img_shape=(480, 640))
    by_name = {a['frame_dir']: a for a in data['annotations']}
    assert by_name['clip']['keypoint'][:, :2, 0, 0].tolist() == [[20, 40]]


def test_demo_file_meta_and_frame_ids_from_one(tmp_path):
    src = tmp_path / 'poses'
    demo_json(src / 'jump' / 'results_a.json',
              [[person(10, 0.5)], [person(12, 0.6)]], img_shape=[720, 1280])
    demo_json(src / 'jump' / 'results_b.json', [[person(10, 0.5)]])
    frames, meta = read_mmpose_json(str(src / 'jump' / 'results_a.json'))
    assert len(frames) == 2 and meta['num_keypoints'] == 17
    report, data = convert(tmp_path, src, img_shape=(480, 640))
    by_name = {a['frame_dir']: a for a in data['annotations']}
    assert by_name['results_a']['img_shape'] == (720, 1280)  # the file's
    assert by_name['results_b']['img_shape'] == (480, 640)  # the option
    assert by_name['results_a']['keypoint'][0, :, 0, 0].tolist() == [10, 12]
    assert report.summary['img_shape'] == '1 from --img-shape, 1 from ' \
        'the files'


def test_extraction_pickles_keep_the_best_tracks(tmp_path):
    src = tmp_path / 'poses'
    keypoint = np.zeros((3, 4, 17, 2))
    keypoint[..., 0] = np.array([100, 200, 300])[:, None, None]
    score = np.zeros((3, 4, 17))
    score[0] = 0.3
    score[1, :2] = 0.9    # high but in half the frames: mean 0.45
    score[2] = 0.8
    extraction_pickle(src / 'sit' / 'v1.pkl', keypoint, score, label=41)
    # a 4K video: the recorded 1080x1920 is wrong, and the summary says so
    extraction_pickle(src / 'sit' / 'v2.pkl', keypoint[:1] + 3000,
                      score[:1])
    report, data = convert(tmp_path, src, max_persons=2)
    ann = data['annotations'][0]
    # tracks 2 (0.8) and 1 (0.45) kept, in their original order
    assert ann['keypoint'][:, 0, 0, 0].tolist() == [200, 300]
    assert ann['label'] == 0  # the folder's, not the pickle's NTU label
    assert ann['img_shape'] == ann['original_shape'] == (1080, 1920)
    assert report.summary['img_shape'] == '2 from the files'
    assert report.summary['warning: keypoints outside img_shape'].startswith(
        '1 clips (v2)')


def test_bad_files_are_reported_and_skipped(tmp_path):
    src = tmp_path / 'poses'
    inferencer_json(src / 'run' / 'good.json', [[person(5, 0.7)]])
    inferencer_json(src / 'run' / 'nobody.json', [[], [], []])
    inferencer_json(src / 'run' / 'empty.json', [])
    inferencer_json(src / 'run' / 'hand.json', [[person(5, 0.7, joints=21)]])
    inferencer_json(src / 'run' / 'lifted.json', [[person(5, 0.7, dims=3)]])
    inferencer_json(src / 'run' / 'nokeys.json',
                    [[dict(keypoints=[], keypoint_scores=[])]])
    nan = person(5, 0.7)
    nan['keypoints'][3][1] = float('nan')  # json writes NaN, reads it back
    inferencer_json(src / 'run' / 'nan.json', [[nan]])
    (src / 'run' / 'cut.json').write_text('[{"frame_id": 0, "instan')
    demo_json(src / 'run' / 'whole.json', [[person(5, 0.7)]],
              num_keypoints=133, dataset_name='coco_wholebody')
    (src / 'run' / 'list.pkl').write_bytes(pickle.dumps([1, 2]))
    (src / 'run' / 'junk.pkl').write_bytes(b'not a pickle')
    inferencer_json(src / 'loose.json', [[person(5, 0.7)]])
    report, data = convert(tmp_path, src, img_shape=(480, 640))
    assert skip_reasons(report) == {
        'run/nobody.json': 'no person',
        'run/empty.json': 'zero frames',
        'run/hand.json': 'wrong joint count',
        'run/lifted.json': 'wrong coordinate count',
        'run/nokeys.json': 'wrong joint count',
        'run/nan.json': 'non-finite coordinates',
        'run/cut.json': 'garbled file',
        'run/whole.json': 'wrong joint count',
        'run/list.pkl': 'garbled file',
        'run/junk.pkl': 'garbled file',
        'loose.json': 'no label',
    }
    assert [a['frame_dir'] for a in data['annotations']] == ['good']
    details = {s.name: s.detail for s in report.skipped}
    assert '21 keypoints per person, want 17' in details['run/hand.json']
    assert 'coco_wholebody' in details['run/whole.json']


def test_folder_labels_classes_and_extent_warning(tmp_path):
    src = tmp_path / 'poses'
    inferencer_json(src / 'wave' / 'w1.json', [[person(10, 0.5)]])
    inferencer_json(src / 'clap' / 'c1.json', [[person(300.2, 0.5)]])
    inferencer_json(src / 'clap' / 'c2.json', [[person(20, 0.5)]])
    (src / 'empty_class').mkdir()
    report, data = convert(tmp_path, src)
    assert data['classes'] == ['clap', 'wave']
    labels = {a['frame_dir']: a['label'] for a in data['annotations']}
    assert labels == {'c1': 0, 'c2': 0, 'w1': 1}
    assert data['split'] == {'train': ['c1', 'c2', 'w1']}
    # no size anywhere: the keypoint extent, with a warning
    by_name = {a['frame_dir']: a for a in data['annotations']}
    assert by_name['c1']['img_shape'] == (116, 317)  # ceil(max y, max x)
    assert 'pass --img-shape H W' in report.summary['warning']


def test_csv_labels_and_splits(tmp_path):
    src = tmp_path / 'poses'
    for name in ('a', 'b', 'c', 'd'):
        inferencer_json(src / 'any' / f'{name}.json', [[person(10, 0.5)]])
    csv = tmp_path / 'labels.csv'
    csv.write_text('file,label,split\nany/a.json,sit,train\n'
                   'any/b,stand,val\nany/c.json,sit,val\n'
                   'any/gone.json,sit,train\n')
    report, data = convert(tmp_path, src, labels=str(csv),
                           img_shape=(480, 640))
    assert skip_reasons(report) == {'any/gone.json': 'missing file',
                                    'any/d.json': 'no label'}
    assert data['classes'] == ['sit', 'stand']
    assert {a['frame_dir']: a['label'] for a in data['annotations']} == {
        'a': 0, 'b': 1, 'c': 0}
    assert data['split'] == {'train': ['a'], 'val': ['b', 'c']}
    ids = tmp_path / 'ids.csv'
    ids.write_text('file,label\nany/a.json,3\nany/b.json,0\n')
    _, data = convert(tmp_path, src, labels=str(ids), img_shape=(480, 640))
    assert 'classes' not in data
    assert [a['label'] for a in data['annotations']] == [3, 0]
    with pytest.raises(ValueError, match='split column and val_fraction'):
        PoseEstimateConverter(str(src), labels=str(csv), val_fraction=0.2)
    mixed = tmp_path / 'mixed.csv'
    mixed.write_text('file,label\na.json,1\nb.json,sit\n')
    with pytest.raises(ValueError, match='mixes integer ids and class names '
                       r'\(first change at line 3\)'):
        read_label_csv(str(mixed))
    bad = tmp_path / 'bad.csv'
    bad.write_text('file,label,split\na.json,1,test\n')
    with pytest.raises(ValueError, match="line 2: split 'test'"):
        read_label_csv(str(bad))


def test_stratified_split_is_deterministic():
    names = {0: [f'a{i:02d}' for i in range(10)],
             1: [f'b{i:02d}' for i in range(5)],
             2: ['only']}
    val = stratified_val(names, 0.3, seed=0)
    assert val == stratified_val(names, 0.3, seed=0)
    assert sum(n.startswith('a') for n in val) == 3
    assert sum(n.startswith('b') for n in val) == 2  # round(1.5) = 2
    assert 'only' not in val  # a class of one stays in train
    assert stratified_val(names, 0.3, seed=1) != val
    assert len([n for n in stratified_val(names, 0.01, 0)
                if n.startswith('a')]) == 1  # at least one per class
    # the split of the others survives adding a clip
    more = {**names, 0: names[0] + ['a10']}
    assert len(stratified_val(more, 0.3, 0) ^ val) <= 2
    with pytest.raises(ValueError, match='val_fraction=1'):
        stratified_val(names, 1, 0)


def test_cli_val_fraction_and_arguments(tmp_path, capsys):
    src = tmp_path / 'poses'
    for cls in ('clap', 'wave'):
        for i in range(5):
            inferencer_json(src / cls / f'{cls}{i}.json',
                            [[person(10 + i, 0.5)]])
    # a broken file takes no val place: the split is over converted clips
    inferencer_json(src / 'wave' / 'broken.json', [[]])
    out = tmp_path / 'poses.pkl'
    main = tool_main('poses_to_pkl.py')
    argv = ['--src', str(src), '--out', str(out), '--no-progress',
            '--val-fraction', '0.4', '--img-shape', '480', '640']
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert 'splits: train 6, val 4' in printed
    data = pickle.loads(out.read_bytes())
    assert data['classes'] == ['clap', 'wave']
    val = data['split']['val']
    assert sorted(n[:4] for n in val) == ['clap', 'clap', 'wave', 'wave']
    assert main(argv) == 0  # same split again
    assert pickle.loads(out.read_bytes())['split']['val'] == val
    capsys.readouterr()
    for bad, message in ((['--img-shape', '0', '640'], '--img-shape'),
                         (['--val-fraction', '1'], '--val-fraction'),
                         (['--max-persons', '0'], '--max-persons')):
        with pytest.raises(SystemExit):
            main(['--src', str(src), '--out', str(out)] + bad)
        assert message in capsys.readouterr().err


@pytest.mark.skipif('coco' not in LAYOUTS,
                    reason="layout 'coco' is not registered yet (2D "
                    'support adds it in cmd_plugin/skeleton)')
def test_written_layout_name_is_registered():
    from cmd_plugin.skeleton.layouts import get_layout
    assert get_layout('coco')['num_node'] == 17
