"""multi_seed.py trains the stock tiny ST-GCN under two seeds and prints
each seed's last acc/top1 and their mean ± sd."""
import re
import statistics

from cmd_plugin.utils.multi_seed import read_last_value
from tests.conftest import run_tool

CONFIG = 'tests/configs/stgcn_tiny_synthetic.py'


def test_two_seeds_train_and_summarise(synthetic_pkl, tmp_path):
    work = tmp_path / 'multi'
    proc = run_tool(['tools/analysis_tools/multi_seed.py', CONFIG,
                     '--seeds', '0', '1', '--work-dir', str(work),
                     '--metric', 'acc/top1',
                     # 16 training samples: the run is mostly start-up
                     '--cfg-options', 'train_dataloader.dataset.dataset.'
                     'indices=16', '--seed-options',
                     'randomness.seed={seed}'],
                    dict(CMD_TEST_ANN_FILE=synthetic_pkl), timeout=300)
    values = [read_last_value(str(work / f'seed_{s}'), 'acc/top1')[0]
              for s in (0, 1)]
    rows = [line.split() for line in proc.stdout.splitlines()
            if re.match(r'\s+[01]\s+1\s+\d', line)]
    assert [(int(r[0]), float(r[2])) for r in rows] == \
        [(0, round(values[0], 4)), (1, round(values[1], 4))]
    mean, sd = statistics.fmean(values), statistics.stdev(values)
    assert f'mean ± sd over 2 seeds (sample sd, n-1): {mean:.4f} ± ' \
        f'{sd:.4f}' in proc.stdout
    # each run got its own seed
    for seed in (0, 1):
        log = (work / f'seed_{seed}' / 'multi_seed_train.log').read_text()
        command = log.splitlines()[0]
        assert ('--cfg-options train_dataloader.dataset.dataset.indices=16 '
                f'randomness.seed={seed}') in command
        # MMEngine's runtime environment report: the seed it set
        assert f'    seed: {seed}\n' in log
