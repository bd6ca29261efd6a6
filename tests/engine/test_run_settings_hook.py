from types import SimpleNamespace

import pytest
from torch import nn

from cmd_plugin.engine.hooks import RunSettingsHook, RunSettingsMismatchError


class _Queued(nn.Module):

    def __init__(self, queue_size):
        super().__init__()
        self.queue_size, self.feat_dim = queue_size, 4
        self.modalities = ('joint', 'bone')


def _runner(queue_size=32, batch_size=8, resume=True):
    return SimpleNamespace(
        model=_Queued(queue_size), _resume=resume,
        train_dataloader=SimpleNamespace(batch_size=batch_size))


def test_settings_are_saved_in_meta():
    checkpoint = dict(meta=dict(epoch=1))
    RunSettingsHook().before_save_checkpoint(_runner(), checkpoint)
    assert checkpoint['meta']['run_settings'] == {
        'model.type': '_Queued', 'model.modalities': ['joint', 'bone'],
        'model.queue_size': 32, 'model.feat_dim': 4, 'world_size': 1,
        'train_dataloader.batch_size': 8, 'global_batch': 8}


def test_resume_with_other_settings_is_refused_load_from_is_not():
    checkpoint = dict(meta={})
    hook = RunSettingsHook()
    hook.before_save_checkpoint(_runner(), checkpoint)
    hook.after_load_checkpoint(_runner(), checkpoint)  # same run
    changed = _runner(queue_size=64, batch_size=4)
    with pytest.raises(RunSettingsMismatchError) as err:
        hook.after_load_checkpoint(changed, checkpoint)
    msg = str(err.value)
    assert 'model.queue_size: checkpoint 32, now 64' in msg
    assert 'train_dataloader.batch_size: checkpoint 8, now 4' in msg
    assert 'global_batch: checkpoint 8, now 4' in msg
    assert 'model.feat_dim' not in msg
    hook.after_load_checkpoint(
        _runner(queue_size=64, resume=False), checkpoint)  # a new run
    hook.after_load_checkpoint(changed, dict(meta={}))  # older checkpoint
