"""knn_raw_coordinates.py: the raw-coordinate floor, every stream and the
fused streams, checked against a brute-force 1-NN of the same clips."""
import json

import torch

from tests.conftest import run_tool
from tests.evaluation.knn_brute_force import brute_force_from_sims

CONFIG = 'configs/cmd/cmd_stgcn-tiny_1xb32-20e_synthetic.py'


def test_every_stream_and_the_fusion(synthetic_pkl, tmp_path):
    out = tmp_path / 'raw.json'
    proc = run_tool(['tools/analysis_tools/knn_raw_coordinates.py', CONFIG,
                     '--json', str(out)], dict(CMD_DEMO_ANN_FILE=synthetic_pkl))
    printed = [line for line in proc.stdout.splitlines()
               if line.startswith('raw-coordinate 1-NN accuracy')]
    assert [line.split(',')[1].split(':')[0].strip() for line in printed] \
        == ['joint', 'motion', 'bone', 'fused']
    accuracy = json.loads(out.read_text())
    assert set(accuracy) == {'joint', 'motion', 'bone', 'fused'}
    assert all(0 <= v <= 100 for v in accuracy.values())


def test_fused_is_the_mean_similarity_1nn(synthetic_pkl, monkeypatch):
    import os
    import sys
    from mmengine.config import Config
    monkeypatch.setenv('CMD_DEMO_ANN_FILE', synthetic_pkl)
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..',
                                    'tools', 'analysis_tools'))
    from knn_raw_coordinates import raw_coordinate_knn

    from cmd_plugin.skeleton.layouts import bone_parents
    from cmd_plugin.skeleton.modalities import to_modality
    from mmaction.registry import DATASETS
    cfg = Config.fromfile(CONFIG)
    got = raw_coordinate_knn(cfg, streams=('joint', 'motion', 'bone'))
    from cmd_plugin.launch.settled_config import settle_config
    reference = Config.fromfile(CONFIG)
    settle_config(reference)  # the dataset block, as a run gives it
    dataset = DATASETS.build(reference.test_dataloader.dataset)
    parents = torch.tensor(bone_parents('nturgb+d'))
    feats, labels, roles = {s: [] for s in ('joint', 'motion', 'bone')}, \
        [], []
    for i in range(len(dataset)):
        item = dataset[i]
        clip = item['inputs'].float()
        for s in feats:
            feats[s].append(to_modality(clip, s, parents).reshape(-1))
        labels.append(int(item['data_samples'].gt_label))
        roles.append(item['data_samples'].metainfo['knn_role'])
    ref = torch.tensor([r == 'reference' for r in roles])
    labels = torch.tensor(labels)
    sims = {}
    for s, rows in feats.items():
        f = torch.nn.functional.normalize(torch.stack(rows).double(), dim=1)
        sims[s] = f[~ref] @ f[ref].T
    sims['fused'] = sum(sims.values()) / 3
    for s, sim in sims.items():
        want = (brute_force_from_sims(sim, labels[ref], 1) ==
                labels[~ref]).double().mean().item()
        # float16 rows (KNNAccuracy's default) may flip one near tie
        assert abs(got[s] - want) <= 1 / int((~ref).sum()) + 1e-9, s


def test_2d_streams_keep_the_score_out_of_the_geometry(tmp_path,
                                                       monkeypatch):
    """On 2-D keypoints (x, y, score) the raw streams are the ones the
    models see: motion and bone difference x, y only."""
    import knn_raw_coordinates
    from mmengine.config import Config
    pkl = tmp_path / 'synthetic-2d.pkl'
    run_tool(['tools/data/make_synthetic.py', '--2d', '--out', str(pkl),
              '--seed', '0', '--per-class', '4'])
    monkeypatch.setenv('CMD_DEMO_2D_ANN_FILE', str(pkl))
    seen = []
    real = knn_raw_coordinates.to_modality

    def spy(x, name, parents, coord_dims=None):
        seen.append(coord_dims)
        return real(x, name, parents, coord_dims)

    monkeypatch.setattr(knn_raw_coordinates, 'to_modality', spy)
    cfg = Config.fromfile(
        'configs/cmd/cmd_stgcn-tiny32_1xb32-60e_penn-keypoint-2d.py')
    cfg.skeleton_data = 'configs/_base_/datasets/synthetic-2d.py'
    got = knn_raw_coordinates.raw_coordinate_knn(
        cfg, streams=('joint', 'motion', 'bone'))
    assert set(seen) == {2}
    assert set(got) == {'joint', 'motion', 'bone', 'fused'}
