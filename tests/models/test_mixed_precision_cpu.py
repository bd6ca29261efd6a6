"""The mixed-precision path tried on a CPU before any GPU: one training
step of CMD (ST-GCN, GRU in both implementations) and SCD-Net under
``torch.autocast('cpu', dtype=torch.bfloat16)`` gives finite losses and
gradients close to the float32 step from the same weights and views."""
import copy

import pytest
import torch

import cmd_plugin  # noqa: F401
from mmaction.registry import MODELS
from tests.models import test_cmd, test_scdnet

# bf16 keeps 8 bits of mantissa: ~0.4% per rounding, a few percent after
# a tiny encoder, its losses and their reductions
REL_TOL = 0.05


def cmd_stgcn():
    return MODELS.build(test_cmd.tiny_cfg()), test_cmd.views()


def cmd_gru(impl):
    backbone = dict(type='GRUEncoder', hidden_size=8, num_layers=2,
                    impl=impl)
    cfg = test_cmd.tiny_cfg(backbone=backbone)
    cfg['neck'].update(in_channels=16)
    return MODELS.build(cfg), test_cmd.views()


def scdnet():
    return test_scdnet.tiny_scdnet(), test_scdnet.views()


@pytest.mark.parametrize('make', [
    cmd_stgcn, lambda: cmd_gru('fused'), lambda: cmd_gru('native'), scdnet
], ids=['cmd-stgcn', 'cmd-gru-fused', 'cmd-gru-native', 'scdnet'])
def test_a_bf16_autocast_step_is_finite_and_close_to_fp32(make):
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model, views = make()
    model.train()
    reference = copy.deepcopy(model)
    totals, grads = [], []
    for net, autocast in ((reference, False), (model, True)):
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=autocast):
            losses = net.loss(views)
        total = sum(v for k, v in losses.items() if k.startswith('loss'))
        assert total.dtype == torch.float32 or autocast
        total.float().backward()
        totals.append(total.float().item())
        grads.append({n: p.grad.float() for n, p in net.named_parameters()
                      if p.grad is not None})
    fp32, bf16 = totals
    assert torch.isfinite(torch.tensor(bf16))
    assert abs(bf16 - fp32) <= REL_TOL * abs(fp32), (fp32, bf16)
    assert grads[1] and all(torch.isfinite(g).all() for g in grads[1].values())
    assert set(grads[0]) == set(grads[1])
