"""GRUEncoder: CMD's recurrent encoder, sequence form vs frame-by-frame."""
import pytest
import torch
from torch import nn

import cmd_plugin  # noqa: F401
from frame_loop_gru_encoder import \
    frame_loop_forward as reference_forward
from cmd_plugin.models.backbones.gru_encoder import (GRUEncoder,
                                                     gru_cell_weights)
from cmd_plugin.models.layers.paired_gru import \
    PairedGRUFunction as _PairedGRUFunction
from cmd_plugin.analysis.flops import gru_forward_flops
from mmaction.registry import MODELS

N, M, T, V, C, H = 3, 2, 7, 25, 3, 16


def make_encoder(**kwargs) -> GRUEncoder:
    cfg = dict(in_channels=C, num_joints=V, num_person=M, hidden_size=H)
    cfg.update(kwargs)
    return GRUEncoder(**cfg)


def param_grads(module: nn.Module):
    return [p.grad.clone() for p in module.parameters()]


def test_build_from_registry_and_output_shape():
    enc = MODELS.build(
        dict(type='GRUEncoder', in_channels=C, num_joints=V, num_person=M,
             hidden_size=H, num_layers=2))
    assert isinstance(enc, GRUEncoder)
    out = enc(torch.randn(N, M, T, V, C))
    assert out.shape == (N, 2 * H)
    assert enc.out_channels == 2 * H
    assert len(enc.layers) == 2


@pytest.mark.parametrize('impl,onednn', [('fused', True),
                                          ('fused', False),
                                          ('native', True)])
def test_equals_frame_by_frame_reference(impl, onednn):
    """onednn=False exercises the batched-GEMM fallback of the fused path
    (builds without oneDNN, CUDA)."""
    torch.manual_seed(0)
    enc = make_encoder(impl=impl).train()
    x = torch.randn(N, M, T, V, C)
    head = torch.randn(N, 2 * H)

    enc.zero_grad()
    with torch.backends.mkldnn.flags(enabled=onednn):
        out = enc(x)
        (out * head).sum().backward()
    grads = param_grads(enc)

    enc.zero_grad()
    ref = reference_forward(enc, x)
    (ref * head).sum().backward()
    ref_grads = param_grads(enc)

    assert torch.allclose(out, ref, atol=1e-5, rtol=0)
    for (name, _), g, rg in zip(enc.named_parameters(), grads, ref_grads):
        assert torch.allclose(g, rg, atol=1e-5, rtol=1e-4), name


def test_fused_backward_gradcheck():
    torch.manual_seed(0)
    steps, batch, feats, hidden = 4, 2, 3, 4
    x = torch.randn(steps, batch, feats, dtype=torch.double,
                    requires_grad=True)
    params = []
    for _ in range(2):  # per cell: w_ih, w_hh, b_ih, b_hh
        params += [
            torch.randn(3 * hidden, feats) * 0.5,
            torch.randn(3 * hidden, hidden) * 0.5,
            torch.randn(3 * hidden),
            torch.randn(3 * hidden),
        ]
    params = [p.double().requires_grad_() for p in params]
    for reverse in (False, True):
        assert torch.autograd.gradcheck(
            lambda x, *p: _PairedGRUFunction.apply(x, reverse, True, *p),
            [x, *params])


def test_bidirectional_is_a_true_bidirectional_gru():
    torch.manual_seed(0)
    paired = make_encoder(num_layers=2)
    bidir = make_encoder(num_layers=2, direction='bidirectional')
    bidir.load_state_dict(paired.state_dict())
    x = torch.randn(N, M, T, V, C)
    out_bidir = bidir(x)
    assert not torch.allclose(paired(x), out_bidir, atol=1e-3)

    # Same weights in torch's own bidirectional GRU: cell 1 is the reverse.
    gru = nn.GRU(V * C * M, H, num_layers=2, bidirectional=True)
    with torch.no_grad():
        for li, layer in enumerate(gru_cell_weights(bidir)):
            for cell, suffix in zip(layer, ('', '_reverse')):
                for name, p in zip(('weight_ih', 'weight_hh', 'bias_ih',
                                    'bias_hh'), cell):
                    getattr(gru, f'{name}_l{li}{suffix}').copy_(p)
    frames = bidir.normalize_frames(bidir.flatten_frames(x))
    want = gru(frames)[0][-1]
    assert torch.allclose(out_bidir, want, atol=1e-5, rtol=0)
    bidir.impl = 'native'
    assert torch.allclose(bidir(x), want, atol=1e-5, rtol=0)


def test_gradient_reaches_every_parameter_and_the_input():
    torch.manual_seed(0)
    enc = make_encoder(num_layers=2)
    x = torch.randn(N, M, T, V, C, requires_grad=True)
    enc(x).pow(2).sum().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0
    for name, p in enc.named_parameters():
        assert p.grad is not None, name
        assert torch.isfinite(p.grad).all(), name
        assert p.grad.abs().sum() > 0, name


def test_no_grad_path_gives_the_same_output():
    torch.manual_seed(0)
    enc = make_encoder().eval()
    x = torch.randn(N, M, T, V, C)
    with torch.no_grad():
        out_no_grad = enc(x)
    assert torch.equal(out_no_grad, enc(x).detach())


def test_flattening_is_person_fastest():
    enc = make_encoder(num_layers=1)
    # Encode (v, c, m) into the value itself.
    v_idx = torch.arange(V).view(1, 1, 1, V, 1)
    c_idx = torch.arange(C).view(1, 1, 1, 1, C)
    m_idx = torch.arange(M).view(1, M, 1, 1, 1)
    x = (v_idx * 100 + c_idx * 10 + m_idx).float().expand(N, M, T, V, C)
    feats = enc.flatten_frames(x)
    assert feats.shape == (T, N, V * C * M)
    # First features: (v0,c0,m0), (v0,c0,m1), (v0,c1,m0), (v0,c1,m1), ...
    assert feats[0, 0, :6].tolist() == [0, 1, 10, 11, 20, 21]
    assert feats[0, 0, 6:8].tolist() == [100, 101]
    want = torch.tensor([(v * C + c) * M + m for v in range(V)
                         for c in range(C) for m in range(M)])
    vcm = feats[0, 0].long()
    assert torch.equal(((vcm // 100) * C + (vcm // 10) % 10) * M + vcm % 10,
                       want)

    # Swapping the two persons swaps adjacent features and nothing else.
    y = torch.randn(N, M, T, V, C)
    swap = torch.arange(V * C * M).view(-1, M).flip(1).reshape(-1)
    assert torch.equal(
        enc.flatten_frames(y.flip(1)), enc.flatten_frames(y)[..., swap])


def test_xavier_init_of_every_2d_weight():
    torch.manual_seed(0)
    enc = make_encoder()
    default_bound = 1 / H**0.5  # nn.GRU's own init
    for name, p in enc.named_parameters():
        if p.dim() != 2:
            continue
        fan_out, fan_in = p.shape
        bound = (6 / (fan_in + fan_out))**0.5
        assert p.abs().max() <= bound + 1e-6, name
        if 'weight_hh' in name:  # xavier bound 0.306 > default 0.25
            assert p.abs().max() > default_bound, name


def test_default_size_parameter_count():
    enc = GRUEncoder(in_channels=3, num_joints=25, num_person=2)
    count = sum(p.numel() for p in enc.parameters())
    # 2 cells x 3 layers of 3H(I+H) weights + 6H biases, BN(150) affine.
    hidden, feats = 1024, 150
    per_cell = [3 * hidden * (i + hidden) + 6 * hidden
                for i in (feats, 2 * hidden, 2 * hidden)]
    assert count == 2 * sum(per_cell) + 2 * feats == 44_998_956
    # With the 2048-2048-128 projection head: the paper's ~49.5 M.
    head = 2048 * 2048 + 2048 + 2048 * 128 + 128
    assert round((count + head) / 1e6, 1) == 49.5


def test_rejects_bad_arguments_and_inputs():
    with pytest.raises(ValueError, match='direction'):
        make_encoder(direction='backward')
    with pytest.raises(ValueError, match='impl'):
        make_encoder(impl='cudnn')
    with pytest.raises(ValueError, match='hidden_size'):
        make_encoder(hidden_size=0)
    enc = make_encoder()
    with pytest.raises(ValueError, match='V=25'):
        enc(torch.randn(N, M, T, 20, C))
    with pytest.raises(ValueError, match=r'\(N, M, T, V, C\)'):
        enc(torch.randn(N, T, V, C))


def test_trains_inside_cmd():
    torch.manual_seed(0)
    model = MODELS.build(
        dict(
            type='CMD',
            backbone=dict(type='GRUEncoder', hidden_size=8, num_layers=2),
            neck=dict(type='SkeletonProjectionNeck', in_channels=16,
                      hid_channels=16, out_channels=8),
            queue_size=8,
            feat_dim=8,
            distill_loss=dict(type='MutualDistillationLoss', topk=4)))
    losses = model(torch.randn(4, 2, 2, 5, 25, 3), mode='loss')
    total = sum(losses.values())
    assert torch.isfinite(total)
    total.backward()
    grad = model.query_encoders['joint'].backbone.layers[0].cells[0]
    assert grad.weight_hh_l0.grad.abs().sum() > 0


def test_benchmark_flops_and_frame_loop_baseline():
    enc = make_encoder()
    # Every 2-D GRU weight element is one multiply-add per sample and frame.
    macs = sum(p.numel() for n, p in enc.layers.named_parameters()
               if p.dim() == 2)
    assert gru_forward_flops(V * C * M, H, 3, T, N) == 2 * macs * T * N

    loop = MODELS.build(
        dict(type='FrameLoopGRUEncoder', in_channels=C, num_joints=V,
             num_person=M, hidden_size=H))
    loop.load_state_dict(enc.state_dict())
    x = torch.randn(N, M, T, V, C)
    assert torch.allclose(loop(x), enc(x), atol=1e-5, rtol=0)
