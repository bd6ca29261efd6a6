"""tools/dist_*.sh: usage, missing data, busy port 29500, SyncBN on CPU."""
import os
import socket
import sys
import time

import pytest

from tests.conftest import ROOT, run_command

TRAIN = os.path.join(ROOT, 'tools', 'dist_train.sh')
TEST = os.path.join(ROOT, 'tools', 'dist_test.sh')


def _run(args, cwd=ROOT, env=None, timeout=300, retry_hang=False):
    full_env = dict(os.environ, PYTHON=sys.executable, OMP_NUM_THREADS='1',
                    PYTHONPATH=ROOT)
    for name in ('PORT', 'MASTER_ADDR', 'NNODES'):
        full_env.pop(name, None)
    full_env.update(env or {})
    return run_command(['bash'] + args, full_env, timeout, cwd,
                       retry_hang=retry_hang)


@pytest.mark.parametrize('args', [
    [TRAIN, 'configs/cmd_ntu60.py'],
    [TRAIN, 'configs/cmd_ntu60.py', '--work-dir', 'w'],
    [TEST, 'configs/cmd_ntu60.py', '2'],
])
def test_missing_count_prints_usage_and_exits_2(args):
    proc = _run(args, timeout=60)
    assert proc.returncode == 2
    script = os.path.basename(args[0])
    assert proc.stderr.startswith(f'usage: tools/{script} CONFIG ')
    assert 'GPUS' in proc.stderr


def test_no_data_one_message_naming_the_converter(tmp_path):
    """In a directory without data/: one message, before any rank."""
    start = time.monotonic()
    proc = _run([TRAIN, os.path.join(ROOT, 'configs', 'cmd_ntu60.py'), '2'],
                cwd=str(tmp_path), timeout=120)
    elapsed = time.monotonic() - start
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out[-3000:]
    assert elapsed < 30, elapsed
    assert out.count('does not exist') == 1, out[-3000:]
    assert out.startswith('cmd_plugin: cannot start')
    assert 'data/skeleton/ntu60_3d.pkl (skeleton_data.ann_file' in out
    assert ('python tools/data/ntu_to_pkl.py --src nturgb+d_skeletons '
            '--dataset ntu60 ' in out)
    assert 'Traceback' not in out and 'SyncBatchNorm' not in out


def test_one_process_launch_ignores_a_busy_29500_and_sync_bn(
        synthetic_pkl, tmp_path):
    """MMAction2's default port held by another job; a config asking for
    SyncBN on CPU-only torch: still trains, one warning."""
    holder = socket.socket()
    try:
        holder.bind(('127.0.0.1', 29500))
        holder.listen()
    except OSError:
        pass  # someone else holds it already: just as busy
    try:
        work = tmp_path / 'one'
        proc = _run([
            TRAIN, 'tests/configs/cmd_tiny_synthetic.py', '1', '--work-dir',
            str(work), '--cfg-options', 'train_cfg.max_epochs=1',
            'sync_bn=torch'
        ], env=dict(CMD_DEMO_ANN_FILE=synthetic_pkl))
    finally:
        holder.close()
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-6000:]
    assert (work / 'epoch_1.pth').is_file()
    assert out.count("sync_bn='torch' needs CUDA") == 1


def ntu_recipe_on(pkl):
    """--cfg-options that point configs/cmd_ntu60.py at the synthetic
    block (README "Pretraining and evaluation"); the pickle is
    $CMD_DEMO_ANN_FILE."""
    # the block file reads the pickle's path from $CMD_DEMO_ANN_FILE
    return [
        'skeleton_data=configs/_base_/datasets/synthetic.py',
        'model.queue_size=256', 'train_cfg.max_epochs=1'
    ]


def test_ntu_recipe_trains_and_evaluates_on_two_cpu_processes(
        synthetic_pkl, tmp_path):
    """The documented one-liner, shrunk further for the suite: the NTU
    recipe itself (SyncBN, 8 per process, workers) over 2 gloo processes."""
    shrink = ['model.backbone.base_channels=4', 'model.backbone.num_stages=2',
              'model.backbone.inflate_stages=[]',
              'model.backbone.down_stages=[]', 'model.neck.in_channels=4',
              'model.neck.hid_channels=8', 'model.queue_size=32',
              'train_dataloader.num_workers=1',
              'val_dataloader.num_workers=1']
    proc = _run([TRAIN, 'configs/cmd_ntu60.py', '2', '--work-dir',
                 str(tmp_path / 'w'), '--cfg-options',
                 *ntu_recipe_on(synthetic_pkl), *shrink], timeout=420,
                env=dict(CMD_DEMO_ANN_FILE=synthetic_pkl), retry_hang=True)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert out.count("sync_bn='torch' needs CUDA") == 1
    assert 'Epoch(val) [1]' in out and 'knn/fused' in out
    assert (tmp_path / 'w' / 'epoch_1.pth').exists()
