"""CMD algorithm: losses, gradients, EMA order, queues, predict, checks."""
import copy

import pytest
import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmengine.optim import OptimWrapper
from torch import nn

import cmd_plugin  # noqa: F401
from cmd_plugin.skeleton.layouts import NW_UCLA_20
from cmd_plugin.models.selfsup import CMD
from cmd_plugin.skeleton.modalities import to_modality
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

N, M, T, V, C = 4, 2, 8, 25, 3
MODS = ('joint', 'motion', 'bone')


@pytest.fixture(autouse=True, scope='module')
def one_thread():
    # Tiny tensors gain nothing from intra-op threads; on a busy 2-core
    # machine the default oversubscribes and runs ~10x slower.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def tiny_cfg(**overrides):
    """Tiny ST-GCN CMD: 8 channels, queue 16, top-k 8."""
    cfg = dict(
        type='CMD',
        backbone=dict(
            type='STGCN',
            graph_cfg=dict(layout='nturgb+d', mode='stgcn_spatial'),
            base_channels=8,
            num_stages=2,
            inflate_stages=[],
            down_stages=[]),
        neck=dict(
            type='SkeletonProjectionNeck',
            in_channels=8,
            hid_channels=16,
            out_channels=8),
        feat_dim=8,
        queue_size=16,
        distill_loss=dict(type='MutualDistillationLoss', topk=8))
    cfg.update(overrides)
    return cfg


def build(**overrides) -> CMD:
    torch.manual_seed(0)
    model = MODELS.build(tiny_cfg(**overrides))
    model.train()
    return model


@MODELS.register_module(force=True)
class FlatTestBackbone(BaseModule):
    """GRU-encoder stand-in: (N, M, T, V, C) -> (N, out_channels)."""

    def __init__(self, num_joints: int = 25, out_channels: int = 6):
        super().__init__()
        self.num_joints = num_joints
        self.fc = nn.Linear(M * num_joints * C, out_channels)

    def forward(self, x):
        n, m, t, v, c = x.shape
        frames = x.permute(0, 2, 1, 3, 4).reshape(n, t, m * v * c)
        return self.fc(frames).mean(dim=1)


def views(n=N, v=V, seed=1):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, 2, M, T, v, C, generator=g)


def recompute_keys(model, x_key):
    with torch.no_grad():
        return {
            m: F.normalize(
                model.key_encoders[m](
                    to_modality(x_key, m, model.bone_parents)),
                dim=1)
            for m in model.modalities
        }


def test_loss_keys_and_finite():
    model = build()
    losses = model(views(), mode='loss')
    kd = {f'loss_kd_{a}_to_{b}' for a in MODS for b in MODS if a != b}
    assert set(losses) == {f'loss_nce_{m}' for m in MODS} | kd
    assert all(v.dim() == 0 and torch.isfinite(v) for v in losses.values())
    assert model.queue_size == 16 and model.modalities == MODS


def test_distill_pairs_none_and_explicit():
    model = build(distill_pairs='none')
    assert set(model(views(), mode='loss')) == {
        'loss_nce_joint', 'loss_nce_motion', 'loss_nce_bone'
    }
    assert model.distill_loss is None
    model = build(
        modalities=['joint', 'motion'],
        distill_pairs=[('motion', 'joint')])
    assert set(model(views(), mode='loss')) == {
        'loss_nce_joint', 'loss_nce_motion', 'loss_kd_motion_to_joint'
    }


def test_loss_weight_scales_kd_terms():
    x = views()
    plain = build()(x, mode='loss')
    weighted = build(
        distill_loss=dict(type='MutualDistillationLoss', topk=8,
                          loss_weight=0.5))(x, mode='loss')
    for key in plain:
        factor = 0.5 if key.startswith('loss_kd') else 1.0
        assert torch.allclose(weighted[key], factor * plain[key], atol=1e-6)


def test_backward_reaches_query_encoders_only():
    model = build()
    losses = model(views(), mode='loss')
    queues_after_step = {m: model.queues.get(m).clone() for m in MODS}
    sum(losses.values()).backward()
    for m in MODS:
        grads = [p.grad for p in model.query_encoders[m].parameters()]
        assert all(g is not None for g in grads), m
        assert sum(g.abs().sum() for g in grads) > 0
        assert all(p.grad is None and not p.requires_grad
                   for p in model.key_encoders[m].parameters())
        assert torch.equal(model.queues.get(m), queues_after_step[m])


def test_kd_term_reaches_student_query_encoder_only():
    model = build()
    losses = model(views(), mode='loss')
    losses['loss_kd_joint_to_motion'].backward()
    student = list(model.query_encoders['motion'].parameters())
    assert all(p.grad is not None for p in student)
    assert sum(p.grad.abs().sum() for p in student) > 0
    for m in ('joint', 'bone'):  # the teacher and the bystander
        assert all(p.grad is None
                   for p in model.query_encoders[m].parameters())
    assert all(p.grad is None for p in model.key_encoders.parameters())


def test_ema_update_happens_before_keys():
    model = build()
    momentum = 0.001  # mmengine convention: m = 1 - momentum = 0.999
    model(views(seed=1), mode='loss')  # first update copies the query
    for m in MODS:
        for (name, p_q), p_k in zip(
                model.query_encoders[m].named_parameters(),
                model.key_encoders[m].module.parameters()):
            assert torch.equal(p_q, p_k), name

    # Move the query encoders as an optimiser step would.
    with torch.no_grad():
        for p in model.query_encoders.parameters():
            p.add_(torch.randn_like(p))
    old_key = copy.deepcopy(list(model.key_encoders.parameters()))
    new_query = [p.clone() for p in model.query_encoders.parameters()]

    x = views(seed=2)
    model(x, mode='loss')
    for p_k, old, new in zip(model.key_encoders.parameters(), old_key,
                             new_query):
        assert torch.allclose(
            p_k, (1 - momentum) * old + momentum * new, atol=1e-6)
    # The enqueued keys came from the updated key encoders.
    keys = recompute_keys(model, x[:, 1])
    for m in MODS:
        assert torch.allclose(
            model.queues.get(m)[:, N:2 * N], keys[m].t(), atol=1e-6)


def test_enqueue_same_columns_in_every_queue():
    model = build()
    before = {m: model.queues.get(m).clone() for m in MODS}
    x = views()
    model(x, mode='loss')
    assert int(model.queues.ptr) == N
    keys = recompute_keys(model, x[:, 1])
    for m in MODS:
        assert torch.allclose(model.queues.get(m)[:, :N], keys[m].t(),
                              atol=1e-6)
        assert torch.equal(model.queues.get(m)[:, N:], before[m][:, N:])
    for _ in range(3):
        model(x, mode='loss')
    assert int(model.queues.ptr) == 0  # 4 batches of 4 fill 16 columns


def test_train_step_through_data_preprocessor():
    model = build()
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    x = views()
    data = dict(
        inputs=[sample for sample in x],
        data_samples=[ActionDataSample() for _ in range(N)])
    before = [p.clone() for p in model.query_encoders.parameters()]
    log_vars = model.train_step(data, optim)
    assert 'loss' in log_vars and 'loss_kd_bone_to_joint' in log_vars
    assert int(model.queues.ptr) == N
    assert any(not torch.equal(a, b)
               for a, b in zip(before, model.query_encoders.parameters()))


def test_short_batch_is_rejected():
    model = build()
    model(views(n=4), mode='loss')
    with pytest.raises(ValueError, match='drop_last=True'):
        model(views(n=2), mode='loss')


def test_check_global_batch():
    model = build()
    model.check_global_batch(4, 2)
    model.check_global_batch(16, 1)
    with pytest.raises(ValueError, match='queue_size=16 .* 3 x 2 = 6'):
        model.check_global_batch(3, 2)


def test_predict_returns_feature_dicts():
    model = build()
    model.eval()
    samples = [ActionDataSample().set_gt_label(i) for i in range(N)]
    x = views()[:, :1]  # (N, 1, M, T, V, C)
    with torch.no_grad():
        out = model(x, samples, mode='predict')
    assert out is samples
    feats = out[0].stream_features
    assert set(feats) == set(MODS)
    assert all(f.shape == (8, ) and f.dtype == torch.float32
               and f.device.type == 'cpu' for f in feats.values())
    # what the evaluator hands to metrics
    assert set(out[0].to_dict()['stream_features']) == set(MODS)
    with torch.no_grad():
        joint = model.extract_feat(x[:, 0], 'joint')  # 5-D accepted too
        bare = model(x[:, 0], mode='predict')
    assert joint.shape == (N, 8)
    assert torch.allclose(out[2].stream_features['joint'], joint[2], atol=1e-6)
    assert torch.allclose(bare[2].stream_features['bone'], out[2].stream_features['bone'],
                          atol=1e-6)
    tensor_out = model(x, mode='tensor')
    assert set(tensor_out) == set(MODS) and tensor_out['motion'].shape == (N,
                                                                           8)


def test_twenty_joint_layout():
    model = build(
        layout='nw-ucla',
        backbone=dict(
            type='STGCN',
            graph_cfg=dict(layout=NW_UCLA_20, mode='stgcn_spatial'),
            base_channels=8,
            num_stages=2,
            inflate_stages=[],
            down_stages=[]))
    losses = model(views(v=20), mode='loss')
    assert all(torch.isfinite(v) for v in losses.values())
    with pytest.raises(ValueError, match='V=25 joints .* has 20'):
        model(views(v=25), mode='loss')


def test_flat_backbone_output_and_joint_check():
    flat = dict(type='FlatTestBackbone', num_joints=25, out_channels=6)
    neck = dict(
        type='SkeletonProjectionNeck',
        in_channels=6,
        hid_channels=6,
        out_channels=8)
    model = build(backbone=flat, neck=neck)
    assert all(
        torch.isfinite(v) for v in model(views(), mode='loss').values())
    model.eval()
    with torch.no_grad():
        assert model.extract_feat(views()[:, 0], 'bone').shape == (N, 6)
    with pytest.raises(ValueError, match='built for 25 joints'):
        build(backbone=flat, neck=neck, layout='nw-ucla')


def test_state_dict_holds_queues_and_key_encoders():
    keys = build().state_dict().keys()
    assert {'queues.queue_joint', 'queues.queue_motion', 'queues.queue_bone',
            'queues.ptr'} <= set(keys)
    assert 'key_encoders.bone.steps' in keys
    assert any(k.startswith('query_encoders.joint.backbone.') for k in keys)
    assert 'bone_parents' not in keys


@pytest.mark.parametrize('overrides,message', [
    (dict(modalities=['joint', 'accel']), "unknown modalities \\['accel'\\]"),
    (dict(modalities=['joint', 'joint']), 'repeats'),
    (dict(distill_loss=dict(type='MutualDistillationLoss', topk=32)),
     'topk=32 exceeds queue_size=16'),
    (dict(distill_pairs=[('joint', 'velocity')]), 'not in modalities'),
    (dict(distill_pairs=[('bone', 'bone')]), 'into itself'),
    (dict(layout='nw-ucla'), 'built for 25 joints .* num_node=20'),
    (dict(feat_dim=128), 'neck.out_channels=8 differs from model.feat_dim'),
    (dict(ema_momentum=0.999), 'ema_momentum=0.001'),
    (dict(layout='kinect'), 'unknown skeleton layout'),
    (dict(queue_size=0), 'queue_size must be a positive integer'),
])
def test_build_validation(overrides, message):
    with pytest.raises(ValueError, match=message):
        MODELS.build(tiny_cfg(**overrides))


def test_topk_is_not_checked_without_distillation():
    model = build(
        distill_pairs='none',
        distill_loss=dict(type='MutualDistillationLoss', topk=8192))
    assert model.distill_loss is None


def test_input_validation():
    model = build()
    with pytest.raises(ValueError, match='got shape \\(4, 2, 8, 25\\)'):
        model(torch.randn(N, M, T, V), mode='loss')
    with pytest.raises(ValueError, match='training expects 2 view'):
        model(views()[:, :1], mode='loss')
    with pytest.raises(ValueError, match='evaluation expects 1 view'):
        model(views(), mode='predict')
    with pytest.raises(ValueError, match='V=20 joints'):
        model(views(v=20), mode='loss')
    with pytest.raises(TypeError, match='ActionDataPreprocessor'):
        model([views()[0]], mode='loss')
    with pytest.raises(ValueError, match='not one of'):
        model.extract_feat(views()[:, 0], 'velocity')


class CallRecorder(nn.Module):
    """Stands in for a loss module and records what each call is given."""

    def __init__(self, loss):
        super().__init__()
        self.loss, self.calls = loss, []

    def forward(self, *args, **kwargs):
        self.calls.append(
            (tuple(a.detach().clone() for a in args),
             {k: v.detach().clone() for k, v in kwargs.items()}))
        return self.loss(*args, **kwargs)


def test_every_term_is_given_the_right_query_key_queue_and_view():
    """Which query, which key, which queue, which view, per term: the
    query of modality m from view 0, the key of m from view 1 after this
    step's EMA, m's queue as it was before the enqueue; each distillation
    term reads its teacher's key and queue and the student's query and
    queue."""
    model = build()
    model(views(seed=3), mode='loss')  # first update copies the query
    with torch.no_grad():  # key encoders visibly differ from the queries
        for p in model.query_encoders.parameters():
            p.add_(0.05 * torch.randn_like(p))
        for m in MODS:  # queues hold distinct, non-zero columns
            model.queues.get(m).copy_(F.normalize(
                torch.randn_like(model.queues.get(m)), dim=0))
    before = {m: model.queues.get(m).clone() for m in MODS}
    contrast = CallRecorder(model.contrast_loss)
    distill = CallRecorder(model.distill_loss)
    model.contrast_loss, model.distill_loss = contrast, distill
    x = views(seed=4)
    losses = model(x, mode='loss')
    with torch.no_grad():
        q = {m: F.normalize(model.query_encoders[m](
            to_modality(x[:, 0], m, model.bone_parents)), dim=1)
            for m in MODS}
    k = recompute_keys(model, x[:, 1])
    assert len(contrast.calls) == len(MODS)
    for m, (args, kwargs) in zip(MODS, contrast.calls):
        query, key, queue = args + tuple(kwargs.values())
        torch.testing.assert_close(query, q[m])
        torch.testing.assert_close(key, k[m])
        torch.testing.assert_close(queue, before[m], rtol=0, atol=0)
        for other in MODS:  # not another stream's, not the same view's
            if other != m:
                assert not torch.allclose(key, k[other])
        assert not torch.allclose(key, q[m], atol=1e-3)
    pairs = [(a, b) for a in MODS for b in MODS if a != b]
    assert sorted(model.distill_pairs) == sorted(pairs)
    assert len(distill.calls) == len(pairs)
    for (a, b), (args, kwargs) in zip(model.distill_pairs, distill.calls):
        assert not args
        torch.testing.assert_close(kwargs['teacher_key'], k[a])
        torch.testing.assert_close(kwargs['teacher_queue'], before[a],
                                   rtol=0, atol=0)
        torch.testing.assert_close(kwargs['student_query'], q[b])
        torch.testing.assert_close(kwargs['student_queue'], before[b],
                                   rtol=0, atol=0)
        torch.testing.assert_close(
            losses[f'loss_kd_{a}_to_{b}'],
            distill.loss(k[a], before[a], q[b], before[b]))
    for m in MODS:
        torch.testing.assert_close(
            losses[f'loss_nce_{m}'], contrast.loss(q[m], k[m], before[m]))
