"""The MoCo base alone makes a working method: a plain MoCo (one encoder,
one queue) passes the queue, EMA and check tests that CMD passes."""
import copy

import pytest
import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper

import cmd_plugin  # noqa: F401
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from tests.models import plain_moco  # noqa: F401  (registers PlainMoCo)

N, M, T, V, C = 4, 2, 8, 25, 3


def tiny_plain_moco(**overrides):
    cfg = dict(
        type='PlainMoCo',
        backbone=dict(
            type='STGCN',
            graph_cfg=dict(mode='stgcn_spatial'),
            base_channels=8,
            num_stages=1,
            inflate_stages=[],
            down_stages=[]),
        neck=dict(
            type='SkeletonProjectionNeck',
            in_channels=8,
            hid_channels=8,
            out_channels=8),
        queue_size=16)
    cfg.update(overrides)
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.train()
    return model


def views(n=N, seed=1):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, 2, M, T, V, C, generator=g)


def test_trains_a_few_steps():
    torch.set_num_threads(1)
    model = tiny_plain_moco()
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    before = [p.clone() for p in model.query_encoders.parameters()]
    for step in range(3):
        data = dict(inputs=list(views(seed=step)),
                    data_samples=[ActionDataSample() for _ in range(N)])
        log_vars = model.train_step(data, optim)
        assert torch.isfinite(torch.as_tensor(log_vars['loss_nce']))
    assert int(model.queues.ptr) == 3 * N % 16
    assert any(not torch.equal(a, b)
               for a, b in zip(before, model.query_encoders.parameters()))
    assert all(p.grad is None
               for p in model.key_encoders.parameters())


def test_ema_before_keys_and_enqueue():
    model = tiny_plain_moco()
    momentum = 0.001
    model(views(seed=1), mode='loss')  # first update copies the query
    with torch.no_grad():
        for p in model.query_encoders.parameters():
            p.add_(torch.randn_like(p))
    old_key = copy.deepcopy(list(model.key_encoders.parameters()))
    new_query = [p.clone() for p in model.query_encoders.parameters()]
    before = model.queues.get('embed').clone()
    x = views(seed=2)
    model(x, mode='loss')
    for p_k, old, new in zip(model.key_encoders.parameters(), old_key,
                             new_query):
        assert torch.allclose(
            p_k, (1 - momentum) * old + momentum * new, atol=1e-6)
    with torch.no_grad():
        keys = F.normalize(model.key_encoders['embed'](x[:, 1]), dim=1)
    queue = model.queues.get('embed')
    assert torch.allclose(queue[:, N:2 * N], keys.t(), atol=1e-6)
    assert torch.equal(queue[:, 2 * N:], before[:, 2 * N:])
    assert int(model.queues.ptr) == 2 * N


def test_checks_and_predict():
    model = tiny_plain_moco()
    model(views(n=4), mode='loss')
    with pytest.raises(ValueError, match='drop_last=True'):
        model(views(n=2), mode='loss')
    with pytest.raises(ValueError, match='queue_size=16 .* 3 x 2 = 6'):
        model.check_global_batch(3, 2)
    with pytest.raises(ValueError, match='drop_last=True'):
        model.check_training_setup(4, 1, drop_last=False, num_samples=64)
    with pytest.raises(ValueError, match='exceeds the 12 keys'):
        model.check_training_setup(4, 1, drop_last=True, num_samples=15)
    model.check_training_setup(4, 2, drop_last=True, num_samples=16)
    model.eval()
    with torch.no_grad():
        out = model(views()[:, :1], mode='predict')
    assert out[0].stream_features['embed'].shape == (8, )
    assert {'queues.queue_embed', 'queues.ptr', 'key_encoders.embed.steps'
            } <= set(model.state_dict())
