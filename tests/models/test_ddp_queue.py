"""Two gloo processes: every rank's queues receive the keys of both ranks.

DDP wraps CMD in ``BufferPreservingDDP`` (``broadcast_buffers=False``), so
equal queues can only come from the all_gather in CMD, not from rank 0's
buffers being copied over: the test checks the gathered keys themselves.
"""
import gc
import os
import time

import pytest
import torch
import torch.distributed as torch_dist
import torch.multiprocessing as mp
import torch.nn.functional as F
from mmengine.optim import OptimWrapper

import cmd_plugin  # noqa: F401  (compat fixes, registers CMD)
from cmd_plugin.engine.model_wrappers import BufferPreservingDDP
from cmd_plugin.models.utils import to_modality
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from tests.models.test_cmd import tiny_cfg

WORLD_SIZE = 2
LOCAL_BATCH = 2
QUEUE_SIZE = 8
TIMEOUT_S = 120


def _model_cfg():
    return tiny_cfg(
        queue_size=QUEUE_SIZE,
        distill_loss=dict(type='MutualDistillationLoss', topk=4))


def _worker(rank: int, init_file: str) -> None:
    torch.set_num_threads(1)
    torch_dist.init_process_group(
        'gloo',
        init_method=f'file://{init_file}',
        rank=rank,
        world_size=WORLD_SIZE)
    try:
        _train_one_step_and_check(rank)
    finally:
        # The DDP reducer must be gone before its process group: destroying
        # the group first sometimes hangs the rank at exit.
        gc.collect()
        torch_dist.destroy_process_group()


def _train_one_step_and_check(rank: int) -> None:
    torch.manual_seed(rank)  # different initial weights and queues
    model = MODELS.build(_model_cfg())
    ddp = BufferPreservingDDP(model)  # syncs rank 0's state once
    assert not ddp.broadcast_buffers
    optim = OptimWrapper(torch.optim.SGD(ddp.parameters(), lr=0.1))
    model.check_global_batch(LOCAL_BATCH, WORLD_SIZE)

    data_gen = torch.Generator().manual_seed(100 + rank)
    x = torch.randn(LOCAL_BATCH, 2, 2, 8, 25, 3, generator=data_gen)
    data = dict(
        inputs=list(x),
        data_samples=[ActionDataSample() for _ in range(LOCAL_BATCH)])
    ddp.train_step(data, optim)

    global_batch = LOCAL_BATCH * WORLD_SIZE
    assert int(model.queues.ptr) == global_batch
    for m in model.modalities:
        # Key encoders are untouched after the keys were computed, so
        # recomputing them on this rank's key view gives its keys.
        with torch.no_grad():
            local = F.normalize(
                model.key_encoders[m](
                    to_modality(x[:, 1], m, model.bone_parents)),
                dim=1)
        every = [torch.empty_like(local) for _ in range(WORLD_SIZE)]
        torch_dist.all_gather(every, local)
        assert not torch.allclose(every[0], every[1])
        queue = model.queues.get(m)
        for r in range(WORLD_SIZE):  # rank order
            cols = queue[:, r * LOCAL_BATCH:(r + 1) * LOCAL_BATCH]
            assert torch.allclose(cols, every[r].t(), atol=1e-5), (m, r)
        queues = [torch.empty_like(queue) for _ in range(WORLD_SIZE)]
        torch_dist.all_gather(queues, queue.contiguous())
        assert torch.equal(queues[0], queues[1]), m
    # DDP synced the query encoders at wrap time despite the per-rank
    # seeds, so the EMA key encoders agree too.
    for name, param in model.named_parameters():
        copies = [torch.empty_like(param) for _ in range(WORLD_SIZE)]
        torch_dist.all_gather(copies, param.detach().contiguous())
        assert torch.equal(copies[0], copies[1]), name


@pytest.mark.skipif(
    not torch_dist.is_available() or not torch_dist.is_gloo_available()
    or 'fork' not in mp.get_all_start_methods(),
    reason='needs torch.distributed with gloo and the fork start method')
def test_keys_of_all_ranks_reach_every_queue(tmp_path):
    init_file = os.path.join(tmp_path, 'dist_init')
    # fork: the children reuse the parent's imports (spawn re-imports
    # torch and mmaction in each child, ~10 s on a busy 2-core machine).
    context = mp.start_processes(
        _worker,
        args=(init_file, ),
        nprocs=WORLD_SIZE,
        join=False,
        start_method='fork')
    deadline = time.monotonic() + TIMEOUT_S
    while not context.join(timeout=1):  # raises if a rank failed
        if time.monotonic() > deadline:
            for process in context.processes:
                if process.is_alive():
                    process.kill()
            pytest.fail(f'ranks still running after {TIMEOUT_S} s '
                        '(a collective is probably waiting forever)')
