"""CMD pretraining through tools/train.py: resume is bit-exact, kNN works."""
import torch

from cmd_plugin.compat import safe_torch_load
from tests.conftest import run_tool

CONFIG = 'tests/configs/cmd_tiny_synthetic.py'


def _state(path):
    # also proves the RNG states keep the checkpoint weights_only-loadable
    return safe_torch_load(str(path), map_location='cpu')


def test_resume_matches_uninterrupted_run(synthetic_pkl, tmp_path):
    env = dict(CMD_DEMO_ANN_FILE=synthetic_pkl)
    full = tmp_path / 'full'
    run_tool(['tools/train.py', CONFIG, '--work-dir', str(full)], env)

    half = tmp_path / 'half'
    run_tool(['tools/train.py', CONFIG, '--work-dir', str(half),
              '--cfg-options', 'train_cfg.max_epochs=1'], env)
    proc = run_tool(['tools/train.py', CONFIG, '--work-dir', str(half),
                     '--resume', str(half / 'epoch_1.pth')], env)
    assert 'resumed' in (proc.stdout + proc.stderr).lower()

    expected = _state(full / 'epoch_2.pth')['state_dict']
    resumed = _state(half / 'epoch_2.pth')['state_dict']
    assert expected.keys() == resumed.keys()
    queues = [k for k in expected if 'queue' in k]
    assert queues, 'CMD must keep its queues in the state dict'
    for key in expected:
        torch.testing.assert_close(
            resumed[key], expected[key], rtol=0, atol=1e-6, msg=key)

    # the saved kNN metrics come from the ValLoop with KNNAccuracy
    proc = run_tool(['tools/test.py', CONFIG, str(full / 'epoch_2.pth'),
                     '--work-dir', str(tmp_path / 'test')], env)
    assert 'knn/fused' in proc.stdout + proc.stderr


def test_two_process_cmd_pretraining(synthetic_pkl, tmp_path):
    """CMD through tools/dist_train.sh with 2 gloo processes: DDP wrapper,
    gathered keys, per-rank RNG states in the checkpoint."""
    from tests.conftest import free_port
    work = tmp_path / 'dist'
    # sync_bn as in the full-size configs: plain BatchNorm on CPU torch
    proc = run_tool(['bash', 'tools/dist_train.sh', CONFIG, '2',
                     '--work-dir', str(work), '--cfg-options',
                     'train_cfg.max_epochs=1', 'sync_bn=torch'],
                    dict(CMD_DEMO_ANN_FILE=synthetic_pkl,
                         PORT=str(free_port())), timeout=420,
                    retry_hang=True)
    assert (proc.stdout + proc.stderr).count("sync_bn='torch' needs") == 1
    ckpt = _state(work / 'epoch_1.pth')
    states = ckpt['rng_states']
    assert len(states) == 2
    # the pipeline stream mixes in the rank: the ranks' states differ
    assert states[0]['pipeline'] != states[1]['pipeline']
    assert 'BufferPreservingDDP' in ckpt['meta']['cfg']

    # kNN evaluation sharded over 2 ranks equals the single-process one
    env = dict(CMD_DEMO_ANN_FILE=synthetic_pkl)
    two = run_tool(['bash', 'tools/dist_test.sh', CONFIG,
                    str(work / 'epoch_1.pth'), '2', '--work-dir',
                    str(tmp_path / 'test2')], dict(env, PORT=str(free_port())))
    one = run_tool(['tools/test.py', CONFIG, str(work / 'epoch_1.pth'),
                    '--work-dir', str(tmp_path / 'test1')], env)
    assert _knn_line(two) == _knn_line(one) != ''


def _knn_line(proc):
    lines = [line for line in (proc.stdout + proc.stderr).splitlines()
             if 'knn/fused' in line and 'Epoch(test)' in line]
    return lines[-1].split(']', 2)[-1].split('data_time')[0] if lines else ''


def test_non_finite_loss_stops_before_a_checkpoint(synthetic_pkl, tmp_path):
    import glob
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT
    work = tmp_path / 'nan'
    # an absurd learning rate overflows the weights after the first step
    proc = subprocess.run(
        [sys.executable, 'tools/train.py', CONFIG, '--work-dir', str(work),
         '--cfg-options', 'optim_wrapper.optimizer.lr=1e38',
         'train_cfg.max_epochs=1'],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env=dict(os.environ, CMD_DEMO_ANN_FILE=synthetic_pkl,
                 OMP_NUM_THREADS='1'))
    assert proc.returncode != 0
    assert 'NonFiniteLossError: non-finite loss at iteration' in proc.stderr
    assert 'loss_nce_joint=nan' in proc.stderr
    assert not glob.glob(str(work / '*.pth'))
