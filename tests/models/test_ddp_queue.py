"""Two gloo processes: every rank's queues receive the keys of both ranks.

DDP wraps CMD in ``BufferPreservingDDP`` (``broadcast_buffers=False``), so
equal queues can only come from the all_gather in CMD, not from rank 0's
buffers being copied over: the test checks the gathered keys themselves.
"""
import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper

import cmd_plugin  # noqa: F401  (compat fixes, registers CMD)
from cmd_plugin.engine.model_wrappers import BufferPreservingDDP
from cmd_plugin.skeleton.modalities import to_modality
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from tests.models.gloo_ranks import (assert_same_on_every_rank,
                                     from_every_rank, needs_gloo_fork,
                                     run_ranks)
from tests.models.test_cmd import tiny_cfg

LOCAL_BATCH = 2
QUEUE_SIZE = 8


def _model_cfg():
    return tiny_cfg(
        queue_size=QUEUE_SIZE,
        distill_loss=dict(type='MutualDistillationLoss', topk=4))


def _train_one_step_and_check(rank: int, world_size: int) -> None:
    torch.manual_seed(rank)  # different initial weights and queues
    model = MODELS.build(_model_cfg())
    ddp = BufferPreservingDDP(model)  # syncs rank 0's state once
    assert not ddp.broadcast_buffers
    optim = OptimWrapper(torch.optim.SGD(ddp.parameters(), lr=0.1))
    model.check_global_batch(LOCAL_BATCH, world_size)

    data_gen = torch.Generator().manual_seed(100 + rank)
    x = torch.randn(LOCAL_BATCH, 2, 2, 8, 25, 3, generator=data_gen)
    data = dict(
        inputs=list(x),
        data_samples=[ActionDataSample() for _ in range(LOCAL_BATCH)])
    ddp.train_step(data, optim)

    global_batch = LOCAL_BATCH * world_size
    assert int(model.queues.ptr) == global_batch
    for m in model.modalities:
        # Key encoders are untouched after the keys were computed, so
        # recomputing them on this rank's key view gives its keys.
        with torch.no_grad():
            local = F.normalize(
                model.key_encoders[m](
                    to_modality(x[:, 1], m, model.bone_parents)),
                dim=1)
        every = from_every_rank(local)
        assert not torch.allclose(every[0], every[1])
        queue = model.queues.get(m)
        for r in range(world_size):  # rank order
            cols = queue[:, r * LOCAL_BATCH:(r + 1) * LOCAL_BATCH]
            assert torch.allclose(cols, every[r].t(), atol=1e-5), (m, r)
        assert_same_on_every_rank(queue, m)
    # DDP synced the query encoders at wrap time despite the per-rank
    # seeds, so the EMA key encoders agree too.
    for name, param in model.named_parameters():
        assert_same_on_every_rank(param, name)


@needs_gloo_fork
def test_keys_of_all_ranks_reach_every_queue(tmp_path):
    run_ranks(_train_one_step_and_check, tmp_path)
