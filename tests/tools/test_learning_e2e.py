"""Values, not just metric names: on the synthetic skeletons, a short CMD
pretraining through tools/train.py must beat its own random
initialisation, by 1-NN (fused) and by the cached linear probe.

Measured on this machine (seeds 0-2 of the data and the run, 8 epochs,
40 validation clips): fused 1-NN 35.0 -> 75.0, 52.5 -> 77.5,
32.5 -> 62.5 (gains 25-40); motion linear probe 55.0 / 60.0 / 40.0
against 12.5 for random init (gains 27.5-47.5). The margins asserted
below (10 and 15 points) hold with room for another CPU's rounding.
"""
import pytest

from runs import newest_scalars, read_knn_records, read_records
from tests.conftest import run_tool

PRETRAIN = 'tests/configs/cmd_tiny_synthetic.py'
LINEAR = 'tests/configs/linear_cached_tiny_synthetic.py'
EPOCHS = 8


@pytest.fixture(scope='module')
def data(tmp_path_factory):
    out = tmp_path_factory.mktemp('learning') / 'synthetic.pkl'
    run_tool(['tools/data/make_synthetic.py', '--out', str(out), '--seed',
              '0', '--per-class', '25'])
    return str(out)


@pytest.fixture(scope='module')
def pretrained(data, tmp_path_factory):
    work = tmp_path_factory.mktemp('learning_pretrain')
    run_tool(['tools/train.py', PRETRAIN, '--work-dir', str(work),
              '--cfg-options', f'train_cfg.max_epochs={EPOCHS}',
              f'train_cfg.val_interval={EPOCHS}',
              f'param_scheduler.0.end={EPOCHS}',
              'param_scheduler.0.milestones=[6]', 'randomness.seed=0'],
             dict(CMD_DEMO_ANN_FILE=data))
    return work


def test_pretraining_beats_random_init_by_1nn(pretrained):
    records = read_knn_records(str(pretrained))
    start, end = records[0], records[-1]
    assert (start['step'], end['step']) == (0, EPOCHS)
    gain = 100 * (end['knn/fused'] - start['knn/fused'])
    assert gain >= 10, (
        f'fused 1-NN {100 * start["knn/fused"]:.1f} at random init -> '
        f'{100 * end["knn/fused"]:.1f} after {EPOCHS} epochs')


def linear_top1(data, work, options):
    run_tool(['tools/train.py', LINEAR, '--work-dir', str(work),
              '--cfg-options', 'model.stream=motion',
              'train_cfg.max_epochs=20', 'train_cfg.val_interval=20',
              'param_scheduler.0.milestones=[15]'] + options,
             dict(CMD_DEMO_ANN_FILE=data))
    accs = [r['acc/top1'] for r in read_records(newest_scalars(str(work)))
            if 'acc/top1' in r]
    return 100 * accs[-1]


def test_pretrained_linear_probe_beats_random_init(data, pretrained,
                                                   tmp_path):
    ckpt = pretrained / f'epoch_{EPOCHS}.pth'
    cmd = linear_top1(data, tmp_path / 'cmd', [f'model.pretrained={ckpt}'])
    random = linear_top1(data, tmp_path / 'random', [])
    assert cmd >= 30 and cmd - random >= 15, (
        f'motion linear probe: CMD {cmd:.1f}, random init {random:.1f} '
        '(chance 12.5)')
