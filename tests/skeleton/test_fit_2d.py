"""The layout check on 2-D keypoints: image projections keep neither bone
lengths nor mirror symmetry, so the check measures scale-free spreads and
per-person mirror ratios with looser limits (cmd_plugin/skeleton/fit.py).
True layouts must not warn on real 2-D data -- Penn Action, NW-UCLA
projected to (x, y) (CI-only, skipped without ../shared/data) and the
synthetic 2-D set -- while wrong joint orders still do."""
import csv
import json
import os
import os.path as osp

import numpy as np
import pytest

from cmd_plugin.converters.synthetic import make_synthetic_dataset
from cmd_plugin.skeleton.fit import layout_misfit
from cmd_plugin.skeleton.layouts import NW_UCLA_20

DATA = osp.join(osp.dirname(__file__), '..', '..', '..', 'shared', 'data')
PENN = osp.join(DATA, 'penn-action')
UCLA = osp.join(DATA, 'nw-ucla')
# Penn Action's 13 joints (its README): COCO-17's body joints, head for
# the nose; bones are COCO's on these joints, the head the root
PENN_13 = dict(num_node=13, parents=[0, 0, 0, 1, 2, 3, 4, 1, 2, 7, 8, 9, 10],
               center=0, coord_dims=2,
               flip_pairs=[(1, 2), (3, 4), (5, 6), (7, 8), (9, 10),
                           (11, 12)])


def pick(clips, count=64):
    """The clips the dataset's load check looks at: a stride over them."""
    return clips[::max(1, len(clips) // count)][:count]


def shuffled(keypoints, seed):
    order = np.random.default_rng(seed).permutation(keypoints[0].shape[2])
    return [k[:, :, order] for k in keypoints]


def test_synthetic_2d_fits_even_one_action_at_a_time():
    # the 3-D rules warn on 5 of these 8 one-action sets (bones or ears)
    data = make_synthetic_dataset(per_class=8, dims=2)
    for label in range(8):
        clips = [a['keypoint'] for a in data['annotations']
                 if a['label'] == label]
        assert layout_misfit(clips, 'coco') is None, label
    clips = [a['keypoint'] for a in data['annotations']]
    assert layout_misfit(clips, 'coco') is None
    assert layout_misfit(shuffled(clips, 0), 'coco') is not None


def test_the_score_channel_is_not_measured():
    data = make_synthetic_dataset(per_class=2, dims=2)
    clips = [np.concatenate([a['keypoint'], a['keypoint_score'][..., None]],
                            -1) for a in data['annotations']]
    assert layout_misfit(clips, 'coco') is None


def penn_clips(select):
    with open(osp.join(PENN, 'index.csv')) as f:
        rows = [r for r in csv.DictReader(f) if select(r)]
    clips = []
    for row in pick(rows):
        with open(osp.join(PENN, 'labels', f"{row['clip']}.json")) as f:
            d = json.load(f)
        clips.append(np.stack([np.asarray(d['x'], float),
                               np.asarray(d['y'], float)], -1)[None])
    return clips


@pytest.mark.skipif(not osp.isdir(PENN), reason='needs ../shared/data')
@pytest.mark.parametrize('select', [
    lambda r: r['train'] == '1', lambda r: r['train'] == '-1',
    lambda r: r['action'] == 'bench_press',
    lambda r: r['action'] == 'pushup',
    lambda r: r['action'] == 'strum_guitar',
], ids=['train', 'test', 'bench_press', 'pushup', 'strum_guitar'])
def test_penn_action_fits(select):
    # the 3-D rules warn on the three one-action sets (6-8 of 12 bones)
    assert layout_misfit(penn_clips(select), PENN_13) is None


@pytest.mark.skipif(not osp.isdir(PENN), reason='needs ../shared/data')
def test_penn_action_in_another_order_is_caught():
    clips = penn_clips(lambda r: r['train'] == '1')
    for seed in range(5):
        assert layout_misfit(shuffled(clips, seed), PENN_13) is not None


@pytest.mark.skipif(not osp.isdir(UCLA), reason='needs ../shared/data')
@pytest.mark.parametrize('project', ['orthographic', 'pinhole'])
def test_projected_nw_ucla_fits(project):
    names = sorted(n for n in os.listdir(UCLA)
                   if n.endswith('.json') and not n.endswith('v03.json'))
    clips = []
    for name in pick(names):
        with open(osp.join(UCLA, name)) as f:
            joints = np.asarray(json.load(f)['skeletons'], float)
        if project == 'pinhole':
            flat = 525 * joints[..., :2] / joints[..., 2:]
        else:
            flat = joints[..., :2]
        clips.append(flat[None])
    assert layout_misfit(clips, NW_UCLA_20) is None
    assert layout_misfit(shuffled(clips, 2), NW_UCLA_20) is not None
