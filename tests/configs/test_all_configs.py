"""Every config under configs/ loads, settles (dataset block and data
settings filled in as the runner does), passes the config check, builds
its model, and its datasets' pipelines run on one synthetic sample of the
config's own layout."""
import glob
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets.data_settings import apply_data_settings
from cmd_plugin.skeleton.layouts import get_layout
from cmd_plugin.models.selfsup import BaseMoCo
from cmd_plugin.models.selfsup.encoder_prefix import (encoder_prefix,
                                                      stream_encoder)
from cmd_plugin.converters.penn import PENN_CLASSES, PENN_LAYOUT
from cmd_plugin.converters.projection import projected_layout
from cmd_plugin.converters.sbu import SBUConverter
from cmd_plugin.converters.ucla import UCLAConverter
from cmd_plugin.converters.synthetic import (SYNTHETIC_2D_LAYOUT,
                                            SYNTHETIC_CLASSES,
                                            SYNTHETIC_LAYOUT)
from cmd_plugin.launch.config_checks import check_config
from cmd_plugin.launch.dataset_block import load_block
from cmd_plugin.launch.settled_config import settle_config
from mmaction.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(
    p for p in glob.glob(osp.join(ROOT, 'configs', '**', '*.py'),
                         recursive=True) if '_base_' not in p)
# Full-size encoders are built narrow (the test checks wiring), with the
# feature width the neck or head then reads.
SHRINK = {
    'GRUEncoder': (dict(hidden_size=8), 16),
    'STGCN': (dict(base_channels=16), 64),  # 16 -> 32 -> 64 channels
}


# what the converters record in the pickles whose dataset blocks leave it
# to the data (the pickles are not made for this test)
RECORDED = {
    'ucla.pkl': dict(layout=UCLAConverter.layout),
    'sbu.pkl': dict(layout=SBUConverter.layout),
    'synthetic.pkl': dict(layout=SYNTHETIC_LAYOUT,
                          num_classes=len(SYNTHETIC_CLASSES)),
    'synthetic-2d.pkl': dict(layout=SYNTHETIC_2D_LAYOUT,
                             num_classes=len(SYNTHETIC_CLASSES)),
    'penn.pkl': dict(layout=PENN_LAYOUT, num_classes=len(PENN_CLASSES)),
    'ucla-xy.pkl': dict(layout=projected_layout(UCLAConverter.layout)),
}


def _settled(path):
    cfg = Config.fromfile(path)
    if isinstance(cfg.get('skeleton_data'), str):  # a block file
        cfg.skeleton_data = load_block(cfg.skeleton_data)
    block = cfg.get('skeleton_data')
    if block:
        for key, value in RECORDED.get(osp.basename(block['ann_file']),
                                       {}).items():
            block.setdefault(key, value)
            block[key] = block[key] if block[key] is not None else value
    settle_config(cfg, read_data=False)
    return cfg


def _narrow(model_cfg):
    """The model config with a full-size encoder made narrow."""
    encoder = model_cfg.backbone
    if encoder.type == 'RawCoordinates':  # no parameters to shrink
        return model_cfg
    if encoder.type == 'SCDEncoder':
        if tuple(encoder.trunk.channels) != (8, 16, 8):  # published size
            encoder.trunk.update(channels=(8, 16, 8))
            encoder.update(embed_dim=16)
            if 'cls_head' in model_cfg:  # downstream feature [v_t; v_s]
                model_cfg.cls_head.update(in_channels=32)
        return model_cfg
    if 'base_channels' in encoder:  # tiny recipes are small already
        return model_cfg
    narrow, width = SHRINK[encoder.type]
    encoder.update(narrow)
    if 'neck' in model_cfg:
        model_cfg.neck.update(in_channels=width, hid_channels=width)
    else:
        model_cfg.cls_head.update(in_channels=width)
    return model_cfg


def _datasets(loader_cfg):
    """(dataset settings, pipeline) of every dataset config in a loader."""
    ds = loader_cfg['dataset']
    if 'reference_split' in ds:  # KNNEvalDataset, split form
        yield ds, ds['pipeline']
    elif 'reference' in ds:
        for key in ('reference', 'query'):
            yield ds[key], ds[key]['pipeline']
    else:
        yield ds, ds['pipeline']


def _sample(layout, frames=80, persons=2):
    resolved = get_layout(layout)
    v = int(resolved['num_node'])
    rng = np.random.default_rng(0)
    sample = dict(total_frames=frames, label=0, frame_dir='synthetic',
                  start_index=0, modality='Pose')
    if resolved.get('coord_dims', 3) == 2:  # MMAction2's 2-D annotation
        return dict(
            sample, img_shape=(1080, 1920), original_shape=(1080, 1920),
            keypoint=rng.uniform(0, 1080, size=(persons, frames, v, 2)
                                 ).astype(np.float32),
            keypoint_score=rng.uniform(size=(persons, frames, v)
                                       ).astype(np.float32))
    return dict(
        sample,
        keypoint=rng.normal(size=(persons, frames, v, 3)).astype(np.float32))


@pytest.mark.parametrize('path', CONFIGS,
                         ids=[osp.relpath(p, ROOT) for p in CONFIGS])
def test_config_builds_and_pipelines_run(path):
    torch.set_num_threads(1)
    cfg = _settled(path)
    check_config(cfg)
    model_cfg = _narrow(cfg.model.copy())
    model = MODELS.build(model_cfg)
    layout = cfg.model.layout
    assert model.num_node == get_layout(layout)['num_node']
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        for settings, pipeline in _datasets(cfg[loader]):
            filled = apply_data_settings(
                pipeline, {k: settings.get(k) for k in (
                    'layout', 'num_person', 'clip_len', 'min_crop_length')},
                loader)
            out = Compose(filled)(_sample(layout))
            inputs = out['inputs']
            # pretraining draws two views of a training sample
            views = 2 if loader == 'train_dataloader' and isinstance(
                model, BaseMoCo) else 1
            assert inputs.shape == (views, settings['num_person'],
                                    settings['clip_len'],
                                    get_layout(layout)['num_node'], 3)
    model.eval()  # one evaluation forward of the test input, 1 sample
    with torch.no_grad():
        out = model(inputs[None].float(), [out['data_samples']],
                    mode='predict')[0]
    if isinstance(model, BaseMoCo):  # a pretraining method: features
        streams = getattr(model, 'modalities', None) or (model.modality, )
        assert set(out.stream_features) == set(streams)
        # every stream's encoder where the export and the recognizer look
        keys = list(model.state_dict())
        for stream in streams:
            name = stream_encoder(keys, stream)
            for which in ('query', 'key'):
                assert any(k.startswith(encoder_prefix(name, which))
                           for k in keys), (stream, which)
    else:  # a recognizer: class scores
        assert out.pred_score.shape == (cfg.model.cls_head.num_classes, )


def test_mmaction_s_2d_and_3d_stgcn_share_the_backbone_settings():
    """configs/_base_/models/stgcn.py takes MMAction2's 3-D recipe's
    backbone for the 2-D configs too: the toolbox's -keypoint-2d twin
    differs only in what follows the data here (layout, in_channels)."""
    from mmengine.hub import get_config
    name = 'mmaction::skeleton/stgcn/stgcn_8xb16-joint-u100-80e_ntu60-xsub-' \
        'keypoint-{}.py'
    two, three = (get_config(name.format(d)).model.backbone.to_dict()
                  for d in ('2d', '3d'))
    for backbone in (two, three):
        backbone['graph_cfg'].pop('layout')
        backbone.pop('in_channels', None)
    assert two == three
