"""SCD-Net through the real tools: pretraining with its four logged terms
and the 1-NN monitor, 1-NN by tools/test.py, then SCD-Net's linear protocol
on cached features from the pretraining checkpoint."""
from tests.conftest import run_tool

PRETRAIN = 'configs/scdnet/scdnet_ctrgcn-tiny_1xb32-20e_synthetic.py'
LINEAR = 'tests/configs/scdnet_linear_cached_tiny_synthetic.py'
SMALL = ['model.queue_size=32', 'train_dataloader.batch_size=8']


def test_scdnet_pretrain_test_and_linear(synthetic_pkl, tmp_path):
    env = dict(CMD_DEMO_ANN_FILE=synthetic_pkl)
    work = tmp_path / 'pretrain'
    proc = run_tool(['tools/train.py', PRETRAIN, '--work-dir', str(work),
                     '--cfg-options', 'train_cfg.max_epochs=1',
                     'train_cfg.val_interval=1',
                     'default_hooks.checkpoint.interval=1'] + SMALL, env)
    log = proc.stdout + proc.stderr
    for term in ('loss_t_g', 'loss_s_g', 'loss_g_t', 'loss_g_s'):
        assert f'{term}: ' in log, term
    assert 'loss_t_s' not in log and 'loss_t_t' not in log
    assert 'knn/joint' in log and 'knn/fused' not in log
    checkpoint = str(work / 'epoch_1.pth')

    proc = run_tool(['tools/test.py', PRETRAIN, checkpoint, '--work-dir',
                     str(tmp_path / 'knn'), '--cfg-options'] + SMALL, env)
    assert 'knn/joint' in proc.stdout + proc.stderr

    proc = run_tool(['tools/train.py', LINEAR, '--work-dir',
                     str(tmp_path / 'linear'), '--cfg-options',
                     f'model.pretrained={checkpoint}'], env)
    for expected in ("under 'query_encoders.scd.backbone.'",
                     'training features cached',
                     'evaluation result (last epoch, 3): acc/top1'):
        assert expected in proc.stdout + proc.stderr, expected
