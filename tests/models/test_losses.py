"""InfoNCE and cross-modal mutual distillation against hand-written
references."""
import math

import pytest
import torch
import torch.nn.functional as F

import cmd_plugin  # noqa: F401
from cmd_plugin.models.losses import InfoNCELoss, MutualDistillationLoss
from mmaction.registry import MODELS


def _unit(*shape):
    return F.normalize(torch.randn(*shape, dtype=torch.float64), dim=-1)


def _reference_nce(q, k, queue, tau):
    total = 0.0
    for n in range(q.shape[0]):
        pos = math.exp(float(q[n] @ k[n]) / tau)
        neg = sum(
            math.exp(float(q[n] @ queue[:, i]) / tau)
            for i in range(queue.shape[1]))
        total += -math.log(pos / (pos + neg))
    return total / q.shape[0]


def _reference_kd(k_a, queue_a, q_b, queue_b, topk, tau_t, tau_s):
    """Cmd-spec section 3, one sample and one neighbour at a time."""
    total = 0.0
    for n in range(k_a.shape[0]):
        sims = [float(k_a[n] @ queue_a[:, i]) for i in range(queue_a.shape[1])]
        order = sorted(range(len(sims)), key=lambda i: sims[i], reverse=True)
        neighbours = order[:topk]
        t_exp = [math.exp(sims[i] / tau_t) for i in neighbours]
        p_teacher = [e / sum(t_exp) for e in t_exp]
        r = [float(q_b[n] @ queue_b[:, i]) for i in neighbours]
        s_exp = [math.exp(v / tau_s) for v in r]
        p_student = [e / sum(s_exp) for e in s_exp]
        total += sum(p * math.log(p / s)
                     for p, s in zip(p_teacher, p_student))
    return total / k_a.shape[0]


def test_registered():
    assert isinstance(MODELS.build(dict(type='InfoNCELoss')), InfoNCELoss)
    loss = MODELS.build(dict(type='MutualDistillationLoss', topk=4))
    assert isinstance(loss, MutualDistillationLoss) and loss.topk == 4


def test_infonce_matches_reference():
    torch.manual_seed(0)
    q, k, queue = _unit(5, 8), _unit(5, 8), _unit(16, 8).t()
    loss = InfoNCELoss(temperature=0.07)(q, k, queue)
    assert loss.item() == pytest.approx(
        _reference_nce(q, k, queue, 0.07), rel=1e-9)
    weighted = InfoNCELoss(temperature=0.07, loss_weight=0.5)(q, k, queue)
    assert weighted.item() == pytest.approx(0.5 * loss.item(), rel=1e-12)


def test_infonce_gradient_reaches_query_only():
    q = _unit(4, 8).requires_grad_()
    k = _unit(4, 8).requires_grad_()
    queue = _unit(16, 8).t().contiguous().requires_grad_()
    InfoNCELoss()(q, k, queue).backward()
    assert q.grad is not None and q.grad.abs().sum() > 0
    assert k.grad is None and queue.grad is None


@pytest.mark.parametrize('topk,tau_t,tau_s', [(8, 0.05, 0.1), (3, 0.2, 0.07),
                                              (16, 0.05, 0.1)])
def test_distillation_matches_reference(topk, tau_t, tau_s):
    torch.manual_seed(topk)
    k_a, q_b = _unit(6, 8), _unit(6, 8)
    queue_a, queue_b = _unit(16, 8).t(), _unit(16, 8).t()
    loss = MutualDistillationLoss(
        teacher_temperature=tau_t, student_temperature=tau_s, topk=topk)
    got = loss(
        teacher_key=k_a,
        teacher_queue=queue_a,
        student_query=q_b,
        student_queue=queue_b)
    want = _reference_kd(k_a, queue_a, q_b, queue_b, topk, tau_t, tau_s)
    assert got.item() == pytest.approx(want, rel=1e-9, abs=1e-12)


def test_distillation_weight_and_zero_when_student_copies_teacher():
    torch.manual_seed(1)
    k, queue = _unit(4, 8), _unit(16, 8).t()
    # Same embedding, same queue, same temperature: identical distributions.
    same = MutualDistillationLoss(
        teacher_temperature=0.1, student_temperature=0.1, topk=8)
    assert same(k, queue, k, queue).item() == pytest.approx(0, abs=1e-12)
    q = _unit(4, 8)
    base = MutualDistillationLoss(topk=8)(k, queue, q, queue)
    weighted = MutualDistillationLoss(topk=8, loss_weight=2.0)(k, queue, q,
                                                               queue)
    assert weighted.item() == pytest.approx(2 * base.item(), rel=1e-12)


def test_distillation_gradient_reaches_student_query_only():
    k_a = _unit(4, 8).requires_grad_()
    q_b = _unit(4, 8).requires_grad_()
    queue_a = _unit(16, 8).t().contiguous().requires_grad_()
    queue_b = _unit(16, 8).t().contiguous().requires_grad_()
    MutualDistillationLoss(topk=8)(k_a, queue_a, q_b, queue_b).backward()
    assert q_b.grad is not None and q_b.grad.abs().sum() > 0
    assert k_a.grad is None
    assert queue_a.grad is None and queue_b.grad is None


def test_distillation_validation():
    with pytest.raises(ValueError, match='topk must be >= 1'):
        MutualDistillationLoss(topk=0)
    with pytest.raises(ValueError, match='temperatures must be > 0'):
        MutualDistillationLoss(teacher_temperature=0)
    with pytest.raises(ValueError, match='InfoNCELoss temperature'):
        InfoNCELoss(temperature=-1)
    loss = MutualDistillationLoss(topk=32)
    k, queue = _unit(2, 8), _unit(16, 8).t()
    with pytest.raises(ValueError, match='topk=32 exceeds the queue size 16'):
        loss(k, queue, k, queue)


def test_losses_stay_float32_under_autocast():
    import torch
    import torch.nn.functional as F

    from cmd_plugin.models.losses import (InfoNCELoss,
                                          MutualDistillationLoss)
    torch.manual_seed(0)
    q = F.normalize(torch.randn(4, 8), dim=1).requires_grad_()
    k = F.normalize(torch.randn(4, 8), dim=1)
    queue = F.normalize(torch.randn(8, 16), dim=0)
    kd = MutualDistillationLoss(topk=8)
    nce = InfoNCELoss()
    expected = (kd(k, queue, q, queue), nce(q, k, queue))
    with torch.autocast('cpu', dtype=torch.bfloat16):
        got = (kd(k.bfloat16(), queue.bfloat16(), q, queue.bfloat16()),
               nce(q.bfloat16(), k, queue))
    for g, e in zip(got, expected):
        assert g.dtype == torch.float32
        # inputs rounded to bf16 (3 significant digits), arithmetic not
        assert torch.allclose(g, e, rtol=2e-2)
    got[0].backward()
    assert q.grad is not None and q.grad.dtype == torch.float32
