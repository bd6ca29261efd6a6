"""The fused EMA is MMEngine's EMA, bit for bit, in two kernels a step."""
import copy

import torch
from mmengine.model import ExponentialMovingAverage

import cmd_plugin  # noqa: F401
from cmd_plugin.models.utils.fused_ema import FusedEMA
from mmaction.registry import MODELS
from tests.models.test_cmd import tiny_cfg


def encoder():
    torch.manual_seed(0)
    return MODELS.build(tiny_cfg()).query_encoders['joint']


def _step(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=g) * 0.1)
        for b in model.buffers():
            if b.dtype.is_floating_point:
                b.mul_(1.5)
            else:
                b.add_(1)


def test_same_values_as_mmengine_and_resumable():
    source = encoder()
    ours, theirs = (FusedEMA(source, momentum=0.01),
                    ExponentialMovingAverage(source, momentum=0.01))
    for step in range(4):
        _step(source, step)
        ours.update_parameters(source)
        theirs.update_parameters(source)
        for (k, a), (_, b) in zip(ours.state_dict().items(),
                                  theirs.state_dict().items()):
            assert torch.equal(a, b), (step, k)
    # a resumed key encoder continues from the loaded step count
    resumed = FusedEMA(copy.deepcopy(source), momentum=0.01)
    resumed.load_state_dict(ours.state_dict())
    _step(source, 9)
    resumed.update_parameters(source)
    theirs.update_parameters(source)
    for (k, a), (_, b) in zip(resumed.state_dict().items(),
                              theirs.state_dict().items()):
        assert torch.equal(a, b), k


def test_one_lerp_and_one_copy_kernel_per_update():
    source = encoder()
    ema = FusedEMA(source, momentum=0.01)
    ema.update_parameters(source)  # the first update copies
    _step(source, 1)
    with torch.profiler.profile(activities=[
            torch.profiler.ProfilerActivity.CPU]) as prof:
        ema.update_parameters(source)
    counts = {e.key: e.count for e in prof.key_averages()}
    # (on a CPU foreach kernels loop inside; on a GPU they are one launch)
    assert counts.get('aten::_foreach_lerp_') == 1
    assert counts.get('aten::_foreach_copy_') == 1
    # no read of the steps tensor (a device sync on a GPU)
    assert not {'aten::item', 'aten::is_nonzero'} & set(counts)
