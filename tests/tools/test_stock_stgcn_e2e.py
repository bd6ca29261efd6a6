"""MMAction2's stock ST-GCN recipe through this repository's launch tools."""
import glob
import os.path as osp

from tests.conftest import free_port, run_tool

CONFIG = 'tests/configs/stgcn_tiny_synthetic.py'


def test_train_test_resume_and_two_process_launch(synthetic_pkl, tmp_path):
    env = dict(CMD_TEST_ANN_FILE=synthetic_pkl)

    train_dir = tmp_path / 'train'
    run_tool(['tools/train.py', CONFIG, '--work-dir', str(train_dir)], env)
    ckpt = train_dir / 'epoch_1.pth'
    assert ckpt.is_file()

    # tools/test.py reloads MMEngine's checkpoint with weights_only=True
    proc = run_tool(['tools/test.py', CONFIG, str(ckpt), '--work-dir',
                     str(tmp_path / 'test')], env)
    assert 'acc/top1' in proc.stdout + proc.stderr

    # --resume restores optimizer, message hub and loop state; then one
    # more epoch
    resume_dir = tmp_path / 'resume'
    run_tool(['tools/train.py', CONFIG, '--work-dir', str(resume_dir),
              '--resume', str(ckpt), '--cfg-options',
              'train_cfg.max_epochs=2'], env)
    assert (resume_dir / 'epoch_2.pth').is_file()
    assert not (resume_dir / 'epoch_1.pth').exists()

    # load_from: weights only, training starts at epoch 1
    load_dir = tmp_path / 'load_from'
    proc = run_tool(['tools/train.py', CONFIG, '--work-dir', str(load_dir),
                     '--cfg-options', f'load_from={ckpt}'], env)
    assert 'Load checkpoint from' in proc.stdout + proc.stderr

    # two real processes over gloo, the multi-GPU code path minus NCCL
    dist_dir = tmp_path / 'dist'
    proc = run_tool(['bash', 'tools/dist_train.sh', CONFIG, '2',
                     '--work-dir', str(dist_dir)],
                    dict(env, PORT=str(free_port())), timeout=420,
                    retry_hang=True)
    assert (dist_dir / 'epoch_1.pth').is_file()
    logs = glob.glob(osp.join(str(dist_dir), '*', '*.log'))
    text = open(logs[0]).read()
    assert 'Distributed training: True' in text
    assert "'world_size': 2" in text or 'world_size: 2' in text or \
        'GPU number: 2' in text, text[:3000]
