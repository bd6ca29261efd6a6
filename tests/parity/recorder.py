"""Watch one MoCo training step from outside: what each encoder returned
and what each contrastive term was given."""
import contextlib
from typing import Dict, List

import torch
from torch import Tensor, nn

from . import reference as ref


class StepRecorder:
    """Forward hooks on chosen modules plus every contrast-loss call.

    Args:
        model: A ``BaseMoCo`` method.
        modules (dict): ``{label: module}`` whose forward outputs to keep.
    """

    def __init__(self, model: nn.Module, modules: Dict[str, nn.Module]):
        self.model = model
        self.outputs: Dict[str, object] = {}
        self.contrast_calls: List[tuple] = []
        self._handles = [
            module.register_forward_hook(self._keep(label))
            for label, module in modules.items()
        ]
        self._handles.append(model.contrast_loss.register_forward_pre_hook(
            lambda mod, args: self.contrast_calls.append(
                tuple(a.detach().clone() for a in args))))

    def _keep(self, label):
        def hook(module, args, output):
            self.outputs[label] = output
        return hook

    def contrast_logits(self) -> List[Tensor]:
        """``[q.k, q.Q] / tau`` of each contrast call, in call order."""
        tau = self.model.contrast_loss.temperature
        return [
            torch.cat([(q * k).sum(1, keepdim=True), q @ queue], 1) / tau
            for q, k, queue in self.contrast_calls
        ]

    def close(self) -> None:
        for handle in self._handles:
            handle.remove()


@contextlib.contextmanager
def default_dtype(dtype: torch.dtype):
    old = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        yield
    finally:
        torch.set_default_dtype(old)


def state(model: nn.Module) -> Dict[str, Tensor]:
    return {k: v.detach() for k, v in model.state_dict().items()}


def grads(model: nn.Module, prefix: str) -> Dict[str, Tensor]:
    return {
        name: p.grad for name, p in model.named_parameters()
        if name.startswith(prefix) and p.grad is not None
    }


def sgd(model: nn.Module, fixture: dict) -> torch.optim.Optimizer:
    """One SGD for every step (step 1 reads step 0's momentum buffer)."""
    cfg = {k: v for k, v in fixture['project_optimizer_cfg'].items()
           if k != 'type'}
    assert fixture['project_optimizer_cfg']['type'] == 'SGD'
    return torch.optim.SGD(model.parameters(), **cfg)


def check_rest_of_step(at: str, model: nn.Module, opt, losses: dict,
                       step: dict, tol: dict) -> None:
    """After the forward: the total loss, the EMA key encoders, the query
    BatchNorm buffers and the queues; then backward (every query-encoder
    gradient) and the SGD step (every parameter after it)."""
    total = sum(losses.values())
    ref.assert_within(f'{at} total_loss', total, step['total_loss'], tol)
    after = state(model)
    ref.assert_all_within(f'{at} key_params_after_ema', after,
                          step['key_params_after_ema'], tol)
    ref.assert_all_within(f'{at} query_bn_buffers', after,
                          step['query_bn_buffers_after_forward'], tol)
    ref.assert_all_within(f'{at} queues', after,
                          step['queues_after_enqueue'], tol)
    opt.zero_grad()
    total.backward()
    got = grads(model, 'query_encoders.')
    assert len(got) == len(step['grads'])
    ref.assert_all_within(f'{at} grads', got, step['grads'], tol,
                          shared_scale=True)
    opt.step()
    ref.assert_all_within(f'{at} query_params_after_sgd', state(model),
                          step['query_params_after_sgd'], tol)
