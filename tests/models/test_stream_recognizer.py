"""Linear evaluation's recognizer: a frozen encoder stays frozen, streams
are derived as in pretraining, checkpoints load loudly."""
import pytest
import torch
from mmengine.optim import OptimWrapper

import cmd_plugin  # noqa: F401
from cmd_plugin.skeleton.modalities import to_modality
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from tests.conftest import LogLines
from tests.models.test_cmd import tiny_cfg

N, M, T, V, C = 6, 2, 8, 25, 3
BACKBONE = dict(type='STGCN', graph_cfg=dict(mode='stgcn_spatial'),
                base_channels=8, num_stages=2, inflate_stages=[],
                down_stages=[])


def recognizer(**overrides):
    cfg = dict(type='SkeletonStreamRecognizer', backbone=BACKBONE,
               cls_head=dict(type='SkeletonLinearHead', in_channels=8,
                             num_classes=4), frozen=True)
    cfg.update(overrides)
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def batch(seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(N, 1, M, T, V, C, generator=g)
    samples = [ActionDataSample().set_gt_label(i % 4) for i in range(N)]
    return dict(inputs=list(x), data_samples=samples)


def test_frozen_encoder_does_not_change_over_training():
    torch.set_num_threads(1)
    model = recognizer()
    backbone_state = {k: v.clone() for k, v in
                      model.backbone.state_dict().items()}
    head = model.cls_head.fc.weight.clone()
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.5,
                                         momentum=0.9))
    for step in range(3):
        model.train()  # what the runner does every epoch
        assert not model.backbone.training
        model.train_step(batch(step), optim)
    for key, value in model.backbone.state_dict().items():
        assert torch.equal(value, backbone_state[key]), key  # BN stats too
    assert not torch.equal(model.cls_head.fc.weight, head)
    assert all(not p.requires_grad for p in model.backbone.parameters())


def test_finetuning_trains_the_encoder():
    model = recognizer(frozen=False)
    before = [p.clone() for p in model.backbone.parameters()]
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.5))
    model.train()
    model.train_step(batch(), optim)
    assert model.backbone.training
    assert any(not torch.equal(a, b)
               for a, b in zip(before, model.backbone.parameters()))


@pytest.mark.parametrize('stream', ['joint', 'motion', 'bone'])
def test_stream_is_derived_as_in_pretraining(stream):
    model = recognizer(stream=stream)
    model.eval()
    x = torch.randn(2, 1, M, T, V, C)
    direct = model.backbone(to_modality(x[:, 0], stream,
                                        model.bone_parents))
    feats, _ = model.extract_feat(x)
    assert torch.allclose(feats, direct, atol=1e-6)


def _cmd_checkpoint(tmp_path):
    cmd = MODELS.build(tiny_cfg())
    path = tmp_path / 'cmd.pth'
    torch.save(dict(state_dict=cmd.state_dict(), meta={}), path)
    return cmd, str(path)


def test_pretrained_encoder_of_the_stream_is_loaded(tmp_path):
    cmd, path = _cmd_checkpoint(tmp_path)
    model = recognizer(stream='bone', pretrained=path)
    for key, value in cmd.query_encoders['bone'].backbone.state_dict(
    ).items():
        assert torch.equal(model.backbone.state_dict()[key], value), key


def test_checkpoint_mismatch_stops_with_the_prefixes(tmp_path):
    _, path = _cmd_checkpoint(tmp_path)
    with pytest.raises(ValueError, match=r"no weights under 'backbone\.'.*"
                       r'query_encoders\.joint\. \(\d+\)'):
        recognizer(pretrained=path, pretrained_prefix='backbone.')
    wide = dict(BACKBONE, base_channels=16)
    with pytest.raises(ValueError, match='shapes differ'):
        recognizer(backbone=wide, pretrained=path,
                   cls_head=dict(type='SkeletonLinearHead', in_channels=16,
                                 num_classes=4))


def test_head_reads_pooled_or_flat_features():
    model = recognizer()
    model.eval()
    with torch.no_grad():
        pooled = model.pooled_features(torch.randn(2, 1, M, T, V, C))
        scores = model.cls_head(pooled)
    assert pooled.shape == (2, 8) and scores.shape == (2, 4)
    with pytest.raises(ValueError, match='cls_head.in_channels'):
        model.cls_head(torch.randn(2, 5))
    with pytest.raises(ValueError, match='model.stream'):
        recognizer(stream='accel')


def test_batchnorm_probe_normalises_the_feature_and_stays_linear():
    """feature_norm='batchnorm': the head sees each feature dimension at
    zero mean and unit variance in training; at test time the map from
    feature to scores is affine (the running statistics are fixed)."""
    from cmd_plugin.models.heads.linear_head import SkeletonLinearHead
    torch.manual_seed(0)
    head = SkeletonLinearHead(num_classes=3, in_channels=4,
                              feature_norm='batchnorm')
    head.init_weights()
    feat = 0.1 * torch.randn(64, 4) + 5.0  # small spread, large offset
    seen = {}
    head.fc.register_forward_hook(
        lambda module, args, out: seen.update(x=args[0]))
    head.train()
    head(feat)
    assert torch.allclose(seen['x'].mean(0), torch.zeros(4), atol=1e-3)
    assert torch.allclose(seen['x'].std(0, unbiased=False), torch.ones(4),
                          atol=1e-2)
    head.eval()
    a, b = torch.randn(2, 4), torch.randn(2, 4)
    with torch.no_grad():
        mid = head(0.5 * (a + b))
        ends = 0.5 * (head(a) + head(b))
    assert torch.allclose(mid, ends, atol=1e-5)
    assert not any(p.requires_grad for p in head.feature_norm.parameters())
    with pytest.raises(ValueError, match="feature_norm='layer'"):
        SkeletonLinearHead(num_classes=3, in_channels=4, feature_norm='layer')


def test_batchnorm_probe_keeps_the_encoder_frozen():
    model = recognizer(cls_head=dict(type='SkeletonLinearHead',
                                     in_channels=8, num_classes=4,
                                     feature_norm='batchnorm'))
    backbone_state = {k: v.clone() for k, v in
                      model.backbone.state_dict().items()}
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.5))
    model.train()
    model.train_step(batch(), optim)
    assert model.cls_head.feature_norm.training
    assert model.cls_head.feature_norm.num_batches_tracked == 1
    for key, value in model.backbone.state_dict().items():
        assert torch.equal(value, backbone_state[key]), key


def test_random_init_is_said_in_the_log():
    with LogLines() as lines:
        recognizer()
    assert any('model.pretrained is not set: the backbone keeps its random '
               'initialisation' in line for line in lines)


def test_a_checkpoint_of_another_skeleton_is_refused(tmp_path):
    """The checkpoint records 20 joints of NW-UCLA; an NTU model refuses it
    before any tensor is compared."""
    from cmd_plugin.skeleton.record import (SkeletonMismatchError,
                                            skeleton_record)
    path = str(tmp_path / 'ucla.pth')
    model = recognizer()
    torch.save(dict(state_dict={f'query_encoders.joint.backbone.{k}': v
                                for k, v in model.backbone.state_dict().items()},
                    meta=dict(skeleton=skeleton_record('nw-ucla'))), path)
    with pytest.raises(SkeletonMismatchError, match=r"trained on the layout "
                       r"'nw-ucla' \(20 joints\) but model.layout is "
                       r"'nturgb\+d' \(25 joints\)"):
        recognizer(pretrained=path, layout='nturgb+d')
    missing = str(tmp_path / 'nope.pth')
    with pytest.raises(FileNotFoundError, match='model.pretrained=.*nope.pth '
                       'does not exist'):
        recognizer(pretrained=missing)
