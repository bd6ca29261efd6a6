import random
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from cmd_plugin.datasets.transforms.rng import pipeline_rng
from tests.models.test_plain_moco import tiny_plain_moco
from cmd_plugin.engine.hooks import (GlobalBatchCheckHook, NonFiniteLossError,
                                     NonFiniteLossHook, RNGStateHook,
                                     get_rng_states, set_rng_states)


def _draw_all():
    return (random.random(), float(np.random.rand()), float(torch.rand(1)),
            float(pipeline_rng().random()))


def test_rng_states_round_trip():
    states = get_rng_states()
    first = _draw_all()
    set_rng_states(states)
    assert _draw_all() == first


def test_rng_states_survive_a_weights_only_checkpoint(tmp_path):
    from cmd_plugin.compat import safe_torch_load
    states = get_rng_states()
    first = _draw_all()
    path = str(tmp_path / 'ckpt.pth')
    torch.save(dict(rng_states=states), path)
    set_rng_states(safe_torch_load(path)['rng_states'])
    assert _draw_all() == first


def test_validation_does_not_shift_training_stream():
    hook = RNGStateHook()
    hook.before_val_epoch(None)
    expected = _draw_all()
    # what a validation pass may do: reseed or consume every stream
    np.random.seed(0)
    torch.rand(100)
    hook.after_val_epoch(None)
    assert _draw_all() == expected


def test_rng_restored_on_resume_only():
    hook = RNGStateHook()
    saved = {}
    hook.after_train_epoch(None)
    hook.before_save_checkpoint(None, saved)
    assert isinstance(saved['rng_states'], list)  # one entry per rank
    expected = _draw_all()
    hook.after_load_checkpoint(SimpleNamespace(_resume=False), saved)
    hook.before_train(None)
    assert _draw_all() != expected
    hook.after_load_checkpoint(SimpleNamespace(_resume=True), saved)
    hook.before_train(None)
    assert _draw_all() == expected


def test_resume_with_other_world_size_warns():
    hook = RNGStateHook()
    warnings = []
    runner = SimpleNamespace(
        _resume=True, logger=SimpleNamespace(warning=warnings.append))
    two_ranks = dict(rng_states=[get_rng_states(), get_rng_states()])
    hook.after_load_checkpoint(runner, two_ranks)
    assert warnings and '2 ranks' in warnings[0]


def test_nonfinite_loss_names_iteration_and_term():
    hook = NonFiniteLossHook()
    runner = SimpleNamespace(iter=41, epoch=2)
    hook.after_train_iter(runner, 3, outputs=dict(loss=1.0, loss_nce_joint=2.))
    with pytest.raises(NonFiniteLossError,
                       match=r'iteration 42.*loss_kd_joint_to_motion=nan'):
        hook.after_train_iter(
            runner, 3,
            outputs=dict(loss=torch.tensor(float('nan')),
                         loss_kd_joint_to_motion=torch.tensor(float('nan'))))


def test_global_batch_check_requires_drop_last():
    calls = []
    model = tiny_plain_moco(queue_size=32)
    model.check_global_batch = lambda b, w: calls.append((b, w))
    hook = GlobalBatchCheckHook()
    runner = SimpleNamespace(
        model=model, cfg=None,
        train_dataloader=SimpleNamespace(
            drop_last=False, batch_size=8, dataset=list(range(39))))
    with pytest.raises(ValueError, match='drop_last=True'):
        hook.before_train(runner)
    runner.train_dataloader.drop_last = True
    hook.before_train(runner)
    assert calls == [(8, 1)]
    model.queue_size = 40  # 39 samples yield 32 keys per epoch
    with pytest.raises(ValueError, match='queue_size=40 exceeds the 32'):
        hook.before_train(runner)


def test_ctrl_c_ends_with_one_line_naming_resume(monkeypatch, capsys,
                                                 tmp_path):
    """A KeyboardInterrupt in training: exit 130 and how to go on, no
    traceback."""
    from mmengine.runner import Runner

    from cmd_plugin.engine.runner import SkeletonRunner

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(Runner, 'train', interrupted)
    runner = SkeletonRunner.__new__(SkeletonRunner)
    runner._epoch, runner._iter = 3, 120
    runner._work_dir = str(tmp_path)
    runner.cfg = type('Cfg', (), {'filename': 'configs/x.py'})()
    monkeypatch.setattr(SkeletonRunner, 'epoch', property(lambda s: 3))
    monkeypatch.setattr(SkeletonRunner, 'iter', property(lambda s: 120))
    with pytest.raises(SystemExit) as stop:
        runner.train()
    assert stop.value.code == 130
    err = capsys.readouterr().err.strip()
    assert err == (
        f'interrupted at epoch 3, iteration 120. Checkpoints are in '
        f'{tmp_path}; go on from the last one with: python tools/train.py '
        f'configs/x.py --work-dir {tmp_path} --resume')


class _OnDevice:
    """A state tensor as ``Runner.resume`` hands it over on a GPU machine
    (``map_location='cuda'``): on a device, no numpy view, refused by
    ``torch.set_rng_state`` until copied to the host."""

    def __init__(self, tensor):
        self._tensor = tensor
        self.device = torch.device('cuda', 0)

    def cpu(self):
        return self._tensor

    def numpy(self):
        raise TypeError("can't convert cuda:0 device type tensor to numpy. "
                        'Use Tensor.cpu() to copy the tensor to host memory '
                        'first.')


def test_rng_states_mapped_to_a_device_restore_on_resume():
    states = get_rng_states()
    first = _draw_all()
    on_device = dict(states, torch=_OnDevice(states['torch']),
                     numpy=dict(states['numpy'],
                                keys=_OnDevice(states['numpy']['keys'])))
    set_rng_states(on_device)
    assert _draw_all() == first


def test_find_unused_parameters_reaches_the_ddp_wrapper():
    """MMEngine ignores the top-level key once model_wrapper_cfg is set
    (the plugin's runtime sets it); the runner passes it on."""
    from mmengine.config import Config

    from cmd_plugin.engine.runner import honour_find_unused_parameters
    cfg = Config(dict(find_unused_parameters=True,
                      model_wrapper_cfg=dict(type='BufferPreservingDDP')))
    honour_find_unused_parameters(cfg)
    assert cfg.model_wrapper_cfg.find_unused_parameters is True
    cfg.model_wrapper_cfg.find_unused_parameters = False
    with pytest.raises(ValueError, match='set one of them'):
        honour_find_unused_parameters(cfg)
