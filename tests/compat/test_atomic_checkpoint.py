"""Checkpoint saves replace files atomically and remove old ones last."""
import os
from types import SimpleNamespace

import pytest
import torch
from mmengine.hooks import CheckpointHook
from mmengine.logging import MessageHub, MMLogger
from mmengine.runner.checkpoint import save_checkpoint

from cmd_plugin.compat import atomic_torch_save


class _FailsToPickle:

    def __reduce__(self):
        raise OSError('disk full')


def test_failed_save_keeps_the_old_file(tmp_path):
    path = str(tmp_path / 'epoch_1.pth')
    atomic_torch_save(dict(w=torch.ones(2)), path)
    with pytest.raises(OSError, match='disk full'):
        # MMEngine's save_checkpoint is the atomic one after import cmd_plugin
        save_checkpoint(dict(w=torch.zeros(4096), bad=_FailsToPickle()), path)
    assert torch.equal(torch.load(path)['w'], torch.ones(2))
    assert os.listdir(tmp_path) == ['epoch_1.pth']


def _runner(work_dir):
    seen = {}

    def save_checkpoint(out_dir, filename, *args, **kwargs):
        # what is on disk while a checkpoint is first written
        seen.setdefault(filename, sorted(os.listdir(out_dir)))
        seen.setdefault(f'ids of {filename}',
                        hub.get_info('keep_ckpt_ids'))
        (work_dir / filename).write_bytes(b'PK\x03\x04')

    hub = MessageHub.get_instance(f'test_atomic_checkpoint{work_dir}')
    return SimpleNamespace(
        work_dir=str(work_dir), epoch=0, iter=0, seen=seen, message_hub=hub,
        logger=MMLogger.get_instance('test_atomic_checkpoint'),
        save_checkpoint=save_checkpoint)


def test_outdated_checkpoints_are_removed_after_the_new_one(tmp_path):
    hook = CheckpointHook(interval=1, max_keep_ckpts=1, save_best='acc',
                          rule='greater')
    runner = _runner(tmp_path)
    hook.before_train(runner)
    for epoch, acc in ((1, 0.5), (2, 0.7)):
        runner.epoch, runner.iter = epoch - 1, epoch * 10
        hook.after_train_epoch(runner)
        runner.epoch = epoch
        hook.after_val_epoch(runner, dict(acc=acc))
    assert 'epoch_1.pth' in runner.seen['epoch_2.pth']
    assert 'best_acc_epoch_1.pth' in runner.seen['best_acc_epoch_2.pth']
    assert sorted(os.listdir(tmp_path)) == [
        'best_acc_epoch_2.pth', 'epoch_2.pth', 'last_checkpoint']
    assert (tmp_path / 'last_checkpoint').read_text() == str(
        tmp_path / 'epoch_2.pth')


def test_a_stale_checkpoint_left_by_a_kill_goes_on_resume(tmp_path):
    hook = CheckpointHook(interval=1, max_keep_ckpts=1)
    runner = _runner(tmp_path)
    hook.before_train(runner)
    for epoch in (1, 2):
        runner.epoch = epoch - 1
        hook.after_train_epoch(runner)
    # epoch_2.pth still lists epoch 1, whose removal came after the save
    assert runner.seen['ids of epoch_2.pth'] == [1, 2]
    assert runner.message_hub.get_info('keep_ckpt_ids') == [2]
    # as if killed before the removal, then resumed from epoch_2.pth
    (tmp_path / 'epoch_1.pth').write_bytes(b'PK\x03\x04')
    resumed = _runner(tmp_path)
    resumed.message_hub.update_info('keep_ckpt_ids', [1, 2])
    CheckpointHook(interval=1, max_keep_ckpts=1).before_train(resumed)
    assert not (tmp_path / 'epoch_1.pth').exists()
