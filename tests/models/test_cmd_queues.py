"""Aligned queues with a shared pointer, and the single-process gather."""
import pytest
import torch

import cmd_plugin  # noqa: F401
from cmd_plugin.models.utils import AlignedQueues, concat_all_gather

NAMES = ('joint', 'motion', 'bone')


def _keys(batch, dim=4):
    return {n: torch.randn(batch, dim) for n in NAMES}


def test_initial_queues_are_unit_columns():
    queues = AlignedQueues(NAMES, feat_dim=4, size=8)
    for n in NAMES:
        assert queues.get(n).shape == (4, 8)
        assert torch.allclose(queues.get(n).norm(dim=0), torch.ones(8))
    assert int(queues.ptr) == 0
    assert {'queue_joint', 'queue_motion', 'queue_bone', 'ptr'} <= set(
        queues.state_dict())


def test_enqueue_same_columns_and_wraps():
    queues = AlignedQueues(NAMES, feat_dim=4, size=8)
    first, second, third = _keys(4), _keys(4), _keys(4)
    queues.enqueue(first)
    assert int(queues.ptr) == 4
    queues.enqueue(second)
    assert int(queues.ptr) == 0
    for n in NAMES:
        assert torch.equal(queues.get(n)[:, :4], first[n].t())
        assert torch.equal(queues.get(n)[:, 4:], second[n].t())
    queues.enqueue(third)  # overwrites the oldest columns
    for n in NAMES:
        assert torch.equal(queues.get(n)[:, :4], third[n].t())
        assert torch.equal(queues.get(n)[:, 4:], second[n].t())


def test_snapshot_is_a_copy():
    queues = AlignedQueues(NAMES, feat_dim=4, size=8)
    snap = queues.snapshot()
    queues.enqueue(_keys(4))
    assert not torch.equal(snap['joint'][:, :4], queues.get('joint')[:, :4])


def test_enqueue_rejects_batches_that_do_not_tile_the_queue():
    queues = AlignedQueues(NAMES, feat_dim=4, size=8)
    with pytest.raises(ValueError, match='drop_last=True'):
        queues.enqueue(_keys(3))
    queues.enqueue(_keys(2))  # divides 8 but leaves ptr at 2
    with pytest.raises(ValueError, match='pointer 2 .*drop_last=True'):
        queues.enqueue(_keys(4))


def test_enqueue_rejects_missing_or_unequal_keys():
    queues = AlignedQueues(NAMES, feat_dim=4, size=8)
    with pytest.raises(ValueError, match='needs keys'):
        queues.enqueue({'joint': torch.randn(4, 4)})
    keys = _keys(4)
    keys['bone'] = torch.randn(2, 4)
    with pytest.raises(ValueError, match='unequal'):
        queues.enqueue(keys)


def test_gather_without_process_group_is_identity():
    x = torch.randn(3, 2, requires_grad=True)
    out = concat_all_gather(x)
    assert torch.equal(out, x) and not out.requires_grad


def test_initial_queues_do_not_depend_on_the_global_seed():
    torch.manual_seed(1)
    a = AlignedQueues(NAMES, feat_dim=4, size=8)
    torch.manual_seed(2)
    b = AlignedQueues(NAMES, feat_dim=4, size=8)
    for n in NAMES:
        assert torch.equal(a.get(n), b.get(n))
    assert not torch.equal(a.get('joint'), a.get('motion'))


def test_the_pointer_is_kept_on_the_host_and_reread_after_loading():
    """No read of the pointer buffer per enqueue (a device sync on a GPU);
    a loaded checkpoint's pointer is the one used next."""
    queues = AlignedQueues(('joint', ), feat_dim=4, size=8)
    keys = dict(joint=torch.nn.functional.normalize(torch.randn(2, 4), dim=1))
    queues.enqueue(keys)
    with torch.profiler.profile(activities=[
            torch.profiler.ProfilerActivity.CPU]) as prof:
        queues.enqueue(keys)
    names = {e.key for e in prof.key_averages()}
    assert not {'aten::item', 'aten::_local_scalar_dense'} & names
    assert int(queues.ptr) == 4
    state = queues.state_dict()
    state['ptr'] = torch.tensor([6])
    queues.load_state_dict(state)
    queues.enqueue(keys)
    assert int(queues.ptr) == 0
    assert torch.equal(queues.get('joint')[:, 6:8], keys['joint'].t())
