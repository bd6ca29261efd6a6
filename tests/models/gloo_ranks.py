"""Run a test body on two CPU ranks over gloo, and compare across ranks.

Shared by the DDP tests of every MoCo method (CMD, SCD-Net): a body is a
module-level ``fn(rank, world_size)`` that builds its model, trains and
asserts; a failed assert on any rank fails the test.
"""
import gc
import os
import time
from typing import Callable, List

import pytest
import torch
import torch.distributed as torch_dist
import torch.multiprocessing as mp

WORLD_SIZE = 2
TIMEOUT_S = 120

needs_gloo_fork = pytest.mark.skipif(
    not torch_dist.is_available() or not torch_dist.is_gloo_available()
    or 'fork' not in mp.get_all_start_methods(),
    reason='needs torch.distributed with gloo and the fork start method')


def _rank_main(rank: int, init_file: str, world_size: int,
               body: Callable[[int, int], None]) -> None:
    torch.set_num_threads(1)
    torch_dist.init_process_group(
        'gloo',
        init_method=f'file://{init_file}',
        rank=rank,
        world_size=world_size)
    try:
        body(rank, world_size)
    finally:
        # The DDP reducer must be gone before its process group: destroying
        # the group first sometimes hangs the rank at exit.
        gc.collect()
        torch_dist.destroy_process_group()


def run_ranks(body: Callable[[int, int], None], tmp_path,
              world_size: int = WORLD_SIZE,
              timeout_s: float = TIMEOUT_S) -> None:
    """Run ``body(rank, world_size)`` in ``world_size`` forked processes
    sharing a gloo group; fail on a rank's error or after ``timeout_s``."""
    init_file = os.path.join(tmp_path, 'dist_init')
    # fork: the children reuse the parent's imports (spawn re-imports
    # torch and mmaction in each child, ~10 s on a busy 2-core machine).
    context = mp.start_processes(
        _rank_main,
        args=(init_file, world_size, body),
        nprocs=world_size,
        join=False,
        start_method='fork')
    deadline = time.monotonic() + timeout_s
    while not context.join(timeout=1):  # raises if a rank failed
        if time.monotonic() > deadline:
            for process in context.processes:
                if process.is_alive():
                    process.kill()
            pytest.fail(f'ranks still running after {timeout_s} s '
                        '(a collective is probably waiting forever)')


def from_every_rank(tensor: torch.Tensor) -> List[torch.Tensor]:
    """``tensor`` of every rank, in rank order."""
    tensor = tensor.detach().contiguous()
    copies = [torch.empty_like(tensor)
              for _ in range(torch_dist.get_world_size())]
    torch_dist.all_gather(copies, tensor)
    return copies


def assert_same_on_every_rank(tensor: torch.Tensor, what: str) -> None:
    """Bitwise equality of ``tensor`` across the ranks."""
    copies = from_every_rank(tensor)
    for rank, copy in enumerate(copies[1:], start=1):
        assert torch.equal(copies[0], copy), f'{what}: rank {rank} != rank 0'
