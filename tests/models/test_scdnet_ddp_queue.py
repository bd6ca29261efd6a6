"""Two gloo processes train SCD-Net: its three queues stay one queue.

Under ``BufferPreservingDDP`` no buffer is broadcast, so the t, s and g
queues of both ranks agree only if every rank enqueues the keys of all
ranks, in rank order, at the same pointer. The keys are read where the key
encoder produces them (a forward hook), not from what ``enqueue`` got, so
a rank enqueueing only its own keys, or the ranks in another order, fails.
"""
import torch
from mmengine.optim import OptimWrapper

import cmd_plugin  # noqa: F401  (compat fixes, registers SCDNet)
from cmd_plugin.engine.model_wrappers import BufferPreservingDDP
from cmd_plugin.models.selfsup.scdnet import CLUES
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from tests.models.gloo_ranks import (assert_same_on_every_rank,
                                     from_every_rank, needs_gloo_fork,
                                     run_ranks)
from tests.models.test_scdnet import T, tiny_encoder_cfg

LOCAL_BATCH = 2
QUEUE_SIZE = 16
# 5 global batches of 4 into 16 columns: the pointer wraps once and the
# first batch's columns are overwritten.
STEPS = 5


def _train_and_check(rank: int, world_size: int) -> None:
    torch.manual_seed(rank)  # different initial weights on each rank
    model = MODELS.build(dict(
        type='SCDNet', queue_size=QUEUE_SIZE,
        backbone=tiny_encoder_cfg(persons=2, dropout=0.1)))
    keys = []  # this rank's (z_t, z_s, z_g) of every step
    model.key_encoders['scd'].register_forward_hook(
        lambda module, args, out: keys.append(
            dict(zip(CLUES, (z.detach().clone() for z in out)))))
    ddp = BufferPreservingDDP(model)
    assert not ddp.broadcast_buffers
    before = model.queues.snapshot()
    optim = OptimWrapper(torch.optim.SGD(ddp.parameters(), lr=0.1))
    model.check_global_batch(LOCAL_BATCH, world_size)
    data_gen = torch.Generator().manual_seed(100 + rank)
    for _ in range(STEPS):
        x = torch.randn(LOCAL_BATCH, 2, 2, T, 25, 3, generator=data_gen)
        ddp.train_step(
            dict(inputs=list(x),
                 data_samples=[ActionDataSample()
                               for _ in range(LOCAL_BATCH)]), optim)
    assert len(keys) == STEPS

    global_batch = LOCAL_BATCH * world_size
    assert int(model.queues.ptr) == STEPS * global_batch % QUEUE_SIZE == 4
    for clue in CLUES:
        # the queue as the all-rank enqueue must leave it: step by step,
        # rank 0's keys then rank 1's at the shared pointer
        expected = before[clue].clone()
        for step, step_keys in enumerate(keys):
            every = from_every_rank(step_keys[clue])
            assert not torch.allclose(every[0], every[1])
            ptr = step * global_batch % QUEUE_SIZE
            expected[:, ptr:ptr + global_batch] = torch.cat(every).t()
        queue = model.queues.get(clue)
        assert not torch.allclose(queue, before[clue]), clue
        torch.testing.assert_close(queue, expected, msg=clue)
        assert_same_on_every_rank(queue, f'queue_{clue}')
    assert_same_on_every_rank(model.queues.ptr, 'ptr')
    # DDP synced the query encoders at wrap time and averages their grads,
    # so the EMA key encoders agree. (BatchNorm running statistics are
    # rank-local, as with per-GPU BN in MoCo, and training never reads
    # them.)
    for name, param in model.key_encoders.named_parameters():
        assert_same_on_every_rank(param, f'key_encoders.{name}')
    assert_same_on_every_rank(model.key_encoders['scd'].steps, 'EMA steps')
    assert int(model.key_encoders['scd'].steps) == STEPS
    for name, param in model.query_encoders.named_parameters():
        assert_same_on_every_rank(param, f'query_encoders.{name}')


@needs_gloo_fork
def test_scdnet_queues_and_key_encoders_agree_across_ranks(tmp_path):
    run_ranks(_train_and_check, tmp_path)
