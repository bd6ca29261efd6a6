"""SCD-Net: the SCDEncoder's clues and the four-term MoCo objective."""
import copy

import pytest
import torch
from mmengine.optim import OptimWrapper

import cmd_plugin  # noqa: F401
from cmd_plugin.models.backbones import SCDEncoder
from cmd_plugin.models.selfsup.scdnet import SCD_TERMS, SCDQueryEncoder
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

TINY = (8, 16, 8)
T, D, K, N = 8, 16, 16, 4
LAYOUTS = [('nturgb+d', 25), ('nw-ucla', 20)]


def tiny_encoder_cfg(persons=2, dropout=0.1, clip_len=T, layout=None):
    trunk = dict(num_person=persons, channels=TINY)
    if layout is not None:  # SCDNet fills it in from model.layout
        trunk['graph_cfg'] = dict(layout=layout)
    return dict(trunk=trunk, clip_len=clip_len, embed_dim=D,
                dropout=dropout)


def tiny_scdnet(layout='nturgb+d', persons=2, dropout=0.0, **overrides):
    cfg = dict(type='SCDNet', layout=layout, queue_size=K,
               backbone=tiny_encoder_cfg(persons, dropout))
    cfg.update(overrides)
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.train()
    return model


def views(joints=25, persons=2, n=N, seed=1):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, 2, persons, T, joints, 3, generator=g)


@pytest.mark.parametrize('layout,joints', LAYOUTS)
@pytest.mark.parametrize('persons', [1, 2])
def test_encoder_shapes_through_every_stage(layout, joints, persons):
    torch.set_num_threads(1)
    encoder = MODELS.build(dict(
        type='SCDEncoder', **tiny_encoder_cfg(persons, layout=layout)))
    seen = {}
    for name in ('trunk_t', 'trunk_s', 'temporal', 'spatial'):
        getattr(encoder, name).register_forward_hook(
            lambda mod, args, out, name=name: seen.update(
                {name: (args[0].shape, out.shape)}))
    x = torch.randn(3, persons, T, joints, 3)
    v_t, v_s = encoder(x)
    trunk_out = (3, persons, TINY[-1], T, joints)
    assert seen['trunk_t'][1] == seen['trunk_s'][1] == trunk_out
    # frames as tokens, then person-joints as tokens
    assert seen['temporal'] == ((3, T, persons * joints * TINY[-1]), (3, D))
    assert seen['spatial'] == ((3, persons * joints, T * TINY[-1]), (3, D))
    assert v_t.shape == v_s.shape == (3, D)
    assert encoder.features(x).shape == (3, 2 * D) == (3, encoder.out_channels)
    encoder.eval()  # no dropout: the two calls must agree
    torch.testing.assert_close(encoder.features(x)[:, :D],
                               encoder(x)[0])


def test_encoder_trunks_have_separate_weights_and_use_torch_layer():
    encoder = SCDEncoder(**tiny_encoder_cfg(layout='nturgb+d'))
    assert encoder.trunk_t is not encoder.trunk_s
    assert not set(map(id, encoder.trunk_t.parameters())) & set(
        map(id, encoder.trunk_s.parameters()))
    for branch in (encoder.temporal, encoder.spatial):
        layer = branch.transformer
        assert isinstance(layer, torch.nn.TransformerEncoderLayer)
        assert layer.norm_first is False and layer.self_attn.batch_first
        assert layer.self_attn.num_heads == 8
        assert layer.linear1.out_features == D


def test_encoder_sizes_follow_clip_len_and_refuse_other_lengths():
    encoder = SCDEncoder(**tiny_encoder_cfg(clip_len=12, layout='nturgb+d'))
    assert encoder.spatial.in_channels == 12 * TINY[-1]
    with pytest.raises(ValueError, match='clip_len=12'):
        encoder(torch.randn(2, 2, T, 25, 3))
    with pytest.raises(ValueError, match='num_heads'):
        SCDEncoder(**dict(tiny_encoder_cfg(layout='nturgb+d'),
                          embed_dim=12))


def test_published_size_parameter_count():
    # meta device: the count without allocating the ~92 M weights
    with torch.device('meta'):
        query = SCDQueryEncoder(
            dict(type='SCDEncoder',
                 trunk=dict(graph_cfg=dict(layout='nturgb+d'))), 128)
    count = sum(p.numel() for p in query.parameters())
    encoder = sum(p.numel() for p in query.backbone.parameters())
    assert encoder == 74_447_664
    assert count == 92_017_840  # the paper: ~92 M per encoder
    assert query.backbone.temporal.token_mlp[0].in_features == 3200
    assert query.backbone.spatial.token_mlp[0].in_features == 4096


class Recorder(torch.nn.Module):
    """Stands in for the contrast loss and records each call."""

    def __init__(self, loss):
        super().__init__()
        self.loss, self.calls = loss, []

    def forward(self, query, key, queue):
        self.calls.append((query.detach(), key.detach(), queue.clone()))
        return self.loss(query, key, queue)


def test_exactly_the_four_terms_with_the_right_pairing():
    model = tiny_scdnet()
    before = {c: model.queues.get(c).clone() for c in 'tsg'}
    recorder = Recorder(model.contrast_loss)
    model.contrast_loss = recorder
    x = views()
    losses = model(x, mode='loss')
    assert list(losses) == ['loss_t_g', 'loss_s_g', 'loss_g_t', 'loss_g_s']
    assert list(SCD_TERMS) == [('t', 'g'), ('s', 'g'), ('g', 't'),
                               ('g', 's')]
    with torch.no_grad():  # dropout 0: the outputs can be recomputed
        q = dict(zip('tsg', model.query_encoders['scd'](x[:, 0])))
        k = dict(zip('tsg', model.key_encoders['scd'](x[:, 1])))
    assert len(recorder.calls) == 4
    for (qc, kc), (query, key, queue) in zip(SCD_TERMS, recorder.calls):
        torch.testing.assert_close(query, q[qc])
        torch.testing.assert_close(key, k[kc])
        # negatives: the key clue's queue as it was before this step
        torch.testing.assert_close(queue, before[kc])
    for name, value in losses.items():
        qc, kc = name.split('_')[1:]
        torch.testing.assert_close(
            value, model.contrast_loss.loss(q[qc], k[kc], before[kc]))


@pytest.mark.parametrize('layout,joints', LAYOUTS)
@pytest.mark.parametrize('persons', [1, 2])
def test_train_step_grads_only_reach_the_query_encoder(layout, joints,
                                                       persons):
    torch.set_num_threads(1)
    model = tiny_scdnet(layout, persons, dropout=0.1)
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    for step in range(2):
        data = dict(inputs=list(views(joints, persons, seed=step)),
                    data_samples=[ActionDataSample() for _ in range(N)])
        log_vars = model.train_step(data, optim)
    assert set(log_vars) == {'loss', 'loss_t_g', 'loss_s_g', 'loss_g_t',
                             'loss_g_s'}
    assert int(model.queues.ptr) == 2 * N
    # the optimizer wrapper clears the grads: backward once by hand
    losses = model(views(joints, persons, seed=7), mode='loss')
    sum(losses.values()).backward()
    assert all(p.grad is None for p in model.key_encoders.parameters())
    assert not any(b.requires_grad for b in model.queues.buffers())
    query = model.query_encoders['scd']
    for part in (query.backbone.trunk_t, query.backbone.trunk_s,
                 query.backbone.temporal, query.backbone.spatial,
                 query.projectors):
        assert any(p.grad is not None and p.grad.abs().sum() > 0
                   for p in part.parameters())


def test_ema_update_comes_before_the_keys_and_enqueue_is_aligned():
    model = tiny_scdnet(ema_momentum=0.1)
    model(views(seed=5), mode='loss')  # first update copies the query
    with torch.no_grad():  # move the query encoder off the key encoder
        for p in model.query_encoders.parameters():
            p.add_(0.05 * torch.randn_like(p))
    stale = copy.deepcopy(model.key_encoders['scd'])
    ptr = int(model.queues.ptr)
    recorder = Recorder(model.contrast_loss)
    model.contrast_loss = recorder
    x = views(seed=6)
    model(x, mode='loss')
    with torch.no_grad():
        fresh = dict(zip('tsg', model.key_encoders['scd'](x[:, 1])))
        old = dict(zip('tsg', stale(x[:, 1])))
    # the keys used come from the encoder as updated in this step
    torch.testing.assert_close(recorder.calls[2][1], fresh['t'])
    assert not torch.allclose(recorder.calls[2][1], old['t'])
    assert int(model.queues.ptr) == (ptr + N) % K
    for clue in 'tsg':
        torch.testing.assert_close(
            model.queues.get(clue)[:, ptr:ptr + N], fresh[clue].t())


@pytest.mark.parametrize('layout,joints', LAYOUTS)
def test_predict_gives_the_2d_feature_under_the_modality_name(layout,
                                                              joints):
    model = tiny_scdnet(layout, persons=1, modality='bone').eval()
    x = views(joints, persons=1)[:, :1]
    samples = model(x, mode='predict')
    assert len(samples) == N
    feats = samples[0].stream_features
    assert list(feats.keys()) == ['bone']
    assert feats['bone'].shape == (2 * D, )
    expected = model.query_encoders['scd'].backbone.features(x[:, 0])
    torch.testing.assert_close(feats['bone'], expected[0])
    assert model(x, mode='tensor')['bone'].shape == (N, 2 * D)


def test_build_errors_name_the_key():
    with pytest.raises(ValueError, match='model.backbone'):
        MODELS.build(dict(type='SCDNet', backbone=dict(clip_len=T)))
    with pytest.raises(ValueError, match='num_node=20'):
        MODELS.build(dict(
            type='SCDNet', layout='nw-ucla',
            backbone=tiny_encoder_cfg(layout='nturgb+d')))


def test_query_encoder_matrices_are_xavier_uniform():
    """As published: every 2-D weight of the query encoder is re-drawn
    Xavier-uniform; PyTorch's Linear default (bound 1/sqrt(fan_in)) would
    be far narrower at these sizes."""
    torch.manual_seed(0)
    enc = SCDQueryEncoder(dict(type='SCDEncoder',
                               trunk=dict(num_person=2, channels=(8, 32, 8),
                                          graph_cfg=dict(layout='nturgb+d')),
                               clip_len=T, embed_dim=64, dropout=0.0),
                          feat_dim=32)
    matrices = {n: p for n, p in enc.named_parameters() if p.dim() == 2}
    assert any('projectors' in n for n in matrices)
    assert any('token_mlp' in n for n in matrices)
    assert any('out_proj' in n for n in matrices)
    assert any('linear1' in n for n in matrices)
    for name, w in matrices.items():
        fan_out, fan_in = w.shape
        bound = (6 / (fan_in + fan_out)) ** 0.5
        assert w.abs().max() <= bound, name
        # uniform(-b, b) has sd b / sqrt(3); a Linear's default would be
        # 1 / sqrt(3 fan_in), well below it here (torch's attention input
        # projection is Xavier already)
        sd = w.std().item()
        assert abs(sd - bound / 3 ** 0.5) < 0.1 * bound, name
        if 'in_proj' not in name:
            assert sd > 1.3 / (3 * fan_in) ** 0.5, name
    # the trunks' convolutions keep their own initialisation
    assert not any(n.startswith('encoder.trunk') for n in matrices)
