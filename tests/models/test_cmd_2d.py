"""One CMD training step on 2-D synthetic batches: the tiny ST-GCN of
tests/configs and a tiny GRU, their in_channels (x, y, score = 3), layout
('coco') and sizes filled from the 2-D pickle as a run fills them, the
pipeline of configs/_base_/pipelines/cmd_cpu_pretrain.py (2-D head by
the layout); finite losses."""
import pickle
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.optim import OptimWrapper

import cmd_plugin  # noqa: F401
from cmd_plugin.converters.synthetic import make_synthetic_dataset
from cmd_plugin.launch.settled_config import settle_config
from mmaction.registry import DATASETS, MODELS

ROOT = Path(__file__).resolve().parents[2]
TINY_STGCN = ROOT / 'tests' / 'configs' / 'cmd_tiny_synthetic.py'
BASE = ROOT / 'configs' / '_base_'
TINY_GRU = dict(
    backbone=dict(_delete_=True, type='GRUEncoder', hidden_size=8,
                  num_layers=2),
    neck=dict(in_channels=16, hid_channels=16))


@pytest.fixture(scope='module')
def pickle_2d(tmp_path_factory):
    path = tmp_path_factory.mktemp('cmd_2d') / 'synthetic-2d.pkl'
    path.write_bytes(pickle.dumps(make_synthetic_dataset(per_class=2,
                                                         dims=2)))
    return str(path)


def config_2d(ann_file, model=None):
    cfg = Config.fromfile(str(TINY_STGCN))
    if model:
        cfg.merge_from_dict(dict(model=model))
    block = Config.fromfile(str(BASE / 'datasets' / 'synthetic-2d.py'))
    cfg.skeleton_data = dict(block.skeleton_data, ann_file=ann_file)
    pipelines = Config.fromfile(
        str(BASE / 'pipelines' / 'cmd_cpu_pretrain.py'))
    cfg.train_dataloader.dataset.pipeline = \
        pipelines.cmd_cpu_train_pipeline
    settle_config(cfg)
    return cfg


@pytest.mark.parametrize('model', [None, TINY_GRU], ids=['stgcn', 'gru'])
def test_one_training_step_on_2d_batches(pickle_2d, model):
    torch.manual_seed(0)
    cfg = config_2d(pickle_2d, model)
    assert cfg.model.layout == 'coco'
    assert cfg.model.backbone.in_channels == 3  # x, y, score
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    cmd = MODELS.build(cfg.model)
    assert cmd.coord_dims == 2
    batch = pseudo_collate([dataset[i] for i in range(8)])
    assert tuple(batch['inputs'][0].shape) == (2, 2, 32, 17, 3)
    optim = OptimWrapper(torch.optim.SGD(cmd.parameters(), lr=0.01))
    before = [p.detach().clone() for p in cmd.query_encoders.parameters()]
    log = cmd.train_step(batch, optim)
    for modality in ('joint', 'motion', 'bone'):
        assert torch.isfinite(log[f'loss_nce_{modality}'])
    assert torch.isfinite(log['loss'])
    assert any(not torch.equal(a, b) for a, b in
               zip(before, cmd.query_encoders.parameters()))


def test_streams_average_the_score(pickle_2d):
    cfg = config_2d(pickle_2d)
    cmd = MODELS.build(cfg.model)
    seen = {}

    def capture(modality):
        def features(x):
            seen[modality] = x
            return torch.zeros(x.shape[0], 8)
        return features

    for modality, encoder in cmd.query_encoders.items():
        encoder.features = capture(modality)
    x = torch.rand(2, 1, 2, 8, 17, 3)
    cmd.stream_features(x)
    joint = x[:, 0]
    torch.testing.assert_close(seen['joint'], joint)
    torch.testing.assert_close(
        seen['motion'][..., :-1, :, 2],
        (joint[..., 1:, :, 2] + joint[..., :-1, :, 2]) / 2)
    torch.testing.assert_close(seen['motion'][..., :-1, :, :2],
                               joint[..., 1:, :, :2] - joint[..., :-1, :, :2])
    assert (seen['bone'][..., 2] >= 0).all()
