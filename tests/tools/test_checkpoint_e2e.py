"""Checkpoints through the real tools: none lost when a save is killed,
foreign ones refused, a resume that would change the run refused."""
import os
import signal
import subprocess
import sys
import time

import pytest
import torch

from cmd_plugin.compat import safe_torch_load
from tests.conftest import ROOT, run_tool

CONFIG = 'tests/configs/cmd_tiny_synthetic.py'
FREEZE = 'tests/configs/cmd_tiny_freeze_save.py'


def _run(args, env):
    """Like run_tool, but the failure is the expected outcome."""
    proc = subprocess.run(
        [sys.executable] + args, cwd=ROOT, capture_output=True, text=True,
        timeout=600, env=dict(os.environ, OMP_NUM_THREADS='1', **env))
    assert proc.returncode != 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stderr


def test_kill_during_save_loses_no_checkpoint(synthetic_pkl, tmp_path):
    work, marker = tmp_path / 'run', tmp_path / 'saving'
    log = open(tmp_path / 'frozen.log', 'w')
    env = dict(os.environ, OMP_NUM_THREADS='1',
               CMD_DEMO_ANN_FILE=synthetic_pkl,
               CMD_TEST_SAVE_MARKER=str(marker),
               PYTHONPATH=os.pathsep.join(
                   [ROOT, os.environ.get('PYTHONPATH', '')]))
    proc = subprocess.Popen(
        [sys.executable, 'tools/train.py', FREEZE, '--work-dir', str(work)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 300
    while not marker.exists() and proc.poll() is None:
        assert time.time() < deadline, 'training never reached epoch 2'
        time.sleep(0.2)
    assert marker.exists(), open(tmp_path / 'frozen.log').read()[-4000:]
    os.kill(proc.pid, signal.SIGKILL)  # mid-write of epoch_2.pth
    proc.wait()

    # max_keep_ckpts=1: epoch 1 must survive until epoch 2 is complete
    assert (work / 'epoch_1.pth').is_file()
    assert not (work / 'epoch_2.pth').exists()
    assert (work / 'last_checkpoint').read_text() == str(work / 'epoch_1.pth')
    safe_torch_load(str(work / 'epoch_1.pth'))

    out = run_tool(['tools/train.py', CONFIG, '--work-dir', str(work),
                    '--resume', '--cfg-options',
                    'default_hooks.checkpoint.max_keep_ckpts=1'],
                   dict(CMD_DEMO_ANN_FILE=synthetic_pkl))
    assert 'resumed epoch: 1' in out.stdout + out.stderr
    assert (work / 'last_checkpoint').read_text() == str(work / 'epoch_2.pth')
    assert safe_torch_load(str(work / 'epoch_2.pth'))['meta']['epoch'] == 2
    assert not (work / 'epoch_1.pth').exists()  # removed once 2 was in place
    assert not list(work.glob('*.part'))


@pytest.fixture(scope='module')
def one_epoch(synthetic_pkl, tmp_path_factory):
    work = tmp_path_factory.mktemp('one_epoch')
    run_tool(['tools/train.py', CONFIG, '--work-dir', str(work),
              '--cfg-options', 'train_cfg.max_epochs=1'],
             dict(CMD_DEMO_ANN_FILE=synthetic_pkl))
    return work / 'epoch_1.pth'


def test_resume_that_changes_the_run_is_refused(synthetic_pkl, one_epoch):
    env = dict(CMD_DEMO_ANN_FILE=synthetic_pkl)
    resume = ['tools/train.py', CONFIG, '--work-dir',
              str(one_epoch.parent), '--resume', str(one_epoch),
              '--cfg-options']
    err = _run(resume + ['model.queue_size=64', 'model.distill_loss.topk=32'],
               env)
    assert 'RunSettingsMismatchError' in err
    assert 'model.queue_size: checkpoint 32, now 64' in err
    assert 'load_from' in err

    err = _run(resume + ['train_dataloader.batch_size=4'], env)
    assert 'train_dataloader.batch_size: checkpoint 8, now 4' in err
    assert 'global_batch: checkpoint 8, now 4' in err
    saved = safe_torch_load(str(one_epoch))['meta']['run_settings']
    assert saved['model.queue_size'] == 32 and saved['global_batch'] == 8


def test_foreign_checkpoint_is_refused(synthetic_pkl, tmp_path):
    # what an MMAction2 recognizer checkpoint looks like
    foreign = str(tmp_path / 'stgcn.pth')
    torch.save(dict(meta=dict(epoch=1, iter=10), state_dict={
        'backbone.data_bn.weight': torch.ones(75),
        'cls_head.fc.weight': torch.ones(60, 256),
        'cls_head.fc.bias': torch.ones(60)}), foreign)
    env = dict(CMD_DEMO_ANN_FILE=synthetic_pkl)
    work = ['--work-dir', str(tmp_path / 'w')]
    runs = dict(
        test=['tools/test.py', CONFIG, foreign] + work,
        load_from=['tools/train.py', CONFIG] + work +
        ['--cfg-options', f'load_from={foreign}'],
        resume=['tools/train.py', CONFIG] + work + ['--resume', foreign])
    for name, args in runs.items():
        err = _run(args, env)
        assert 'CheckpointMismatchError' in err, name
        assert 'does not fit the model CMD: it holds 0 of' in err, name
        assert 'checkpoint key prefixes: backbone. (1), cls_head. (2)' in err
        assert 'key_encoders.' in err and 'queues.' in err, name
