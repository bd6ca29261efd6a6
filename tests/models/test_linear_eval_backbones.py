"""Backbones that linear evaluation puts under the same recognizer as CMD's
ST-GCN: SCD-Net's encoder (its downstream feature) and raw coordinates."""
import pytest
import torch
from mmengine.optim import OptimWrapper

import cmd_plugin  # noqa: F401
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from tests.models.test_scdnet import D, T, tiny_encoder_cfg, tiny_scdnet


def batch(n=4, persons=2, joints=25, classes=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 1, persons, T, joints, 3, generator=g)
    samples = [ActionDataSample().set_gt_label(i % classes) for i in range(n)]
    return dict(inputs=list(x), data_samples=samples)


def scd_recognizer(**overrides):
    cfg = dict(type='SkeletonStreamRecognizer',
               backbone=dict(tiny_encoder_cfg(dropout=0.0), type='SCDEncoder',
                             out_type='feature'),
               cls_head=dict(type='SkeletonLinearHead', in_channels=2 * D,
                             num_classes=3),
               frozen=True)
    cfg.update(overrides)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def test_scd_encoder_feature_output_is_the_two_clues():
    encoder = MODELS.build(dict(
        tiny_encoder_cfg(dropout=0.0, layout='nturgb+d'), type='SCDEncoder',
        out_type='feature'))
    encoder.eval()
    x = torch.randn(3, 2, T, 25, 3)
    v_t, v_s = encoder.clues(x)
    assert torch.equal(encoder(x), torch.cat([v_t, v_s], 1))
    assert encoder(x).shape == (3, 2 * D)
    with pytest.raises(ValueError, match="out_type must be 'clues' or"):
        MODELS.build(dict(tiny_encoder_cfg(layout='nturgb+d'),
                          type='SCDEncoder', out_type='pooled'))


def test_scdnet_checkpoint_loads_into_the_linear_recognizer(tmp_path):
    scd = tiny_scdnet()
    path = str(tmp_path / 'scd.pth')
    torch.save(dict(state_dict=scd.state_dict()), path)
    model = scd_recognizer(pretrained=path)
    expected = scd.query_encoders['scd'].backbone.state_dict()
    for key, value in model.backbone.state_dict().items():
        assert torch.equal(value, expected[key]), key
    # the recognizer's feature is what SCDNet.predict reports
    scd.eval()
    x = torch.randn(2, 2, T, 25, 3)
    assert torch.allclose(
        model.pooled_features(x[:, None]),
        scd.stream_features(x)['joint'], atol=1e-6)


def test_frozen_scd_encoder_does_not_change_over_linear_training():
    model = scd_recognizer()
    state = {k: v.clone() for k, v in model.backbone.state_dict().items()}
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.5))
    for step in range(2):
        model.train()
        model.train_step(batch(seed=step), optim)
    for key, value in model.backbone.state_dict().items():
        assert torch.equal(value, state[key]), key


def test_raw_coordinates_flatten_the_stream():
    model = MODELS.build(dict(
        type='SkeletonStreamRecognizer', stream='motion', layout='nw-ucla',
        backbone=dict(type='RawCoordinates', num_person=1, clip_len=T,
                      num_joints=20),
        cls_head=dict(type='SkeletonLinearHead', in_channels=T * 20 * 3,
                      num_classes=3),
        frozen=True))
    model.init_weights()
    x = torch.randn(2, 1, 1, T, 20, 3)
    flat = model.pooled_features(x)
    motion = torch.zeros_like(x)
    motion[..., :-1, :, :] = x[..., 1:, :, :] - x[..., :-1, :, :]
    assert flat.shape == (2, T * 20 * 3)
    assert torch.allclose(flat, motion.reshape(2, -1))
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    model.train()
    losses = model.train_step(batch(2, 1, 20), optim)
    assert torch.isfinite(losses['loss_cls'])


def test_raw_coordinates_refuse_another_shape():
    raw = MODELS.build(dict(type='RawCoordinates', num_person=1, clip_len=T,
                            num_joints=20))
    assert raw.out_channels == T * 20 * 3
    with pytest.raises(ValueError, match='set them to the dataset'):
        raw(torch.randn(2, 2, T, 20, 3))
