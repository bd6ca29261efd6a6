"""study.py --metric trains the stock tiny ST-GCN under two seeds and
prints each seed's last acc/top1 and their mean ± sd."""
import re
import statistics

from runs import read_last_value
from tests.conftest import run_tool

CONFIG = 'tests/configs/stgcn_tiny_synthetic.py'


def test_two_seeds_train_and_summarise(synthetic_pkl, tmp_path):
    work = tmp_path / 'multi'
    proc = run_tool(['tools/analysis_tools/study.py', CONFIG,
                     '--seeds', '0', '1', '--work-dir', str(work),
                     '--metric', 'acc/top1',
                     # 16 training samples: the run is mostly start-up
                     '--cfg-options', 'train_dataloader.dataset.dataset.'
                     'indices=16'],
                    dict(CMD_TEST_ANN_FILE=synthetic_pkl), timeout=300)
    runs = [work / 'default' / f'seed{s}' / 'train' for s in (0, 1)]
    values = [read_last_value(str(run), 'acc/top1')[0] for run in runs]
    rows = [line.split() for line in proc.stdout.splitlines()
            if re.match(r'\s+[01]\s+1\s+\d', line)]
    assert [(int(r[0]), float(r[2])) for r in rows] == \
        [(0, round(values[0], 4)), (1, round(values[1], 4))]
    mean, sd = statistics.fmean(values), statistics.stdev(values)
    assert f'mean ± sd over 2 seeds (sample sd, n-1): {mean:.4f} ± ' \
        f'{sd:.4f}' in proc.stdout
    # each run got its own seed
    for seed, run in zip((0, 1), runs):
        log = (run / 'stdout.log').read_text()
        command = log.splitlines()[0]
        assert f'--seed {seed} --cfg-options train_dataloader.dataset.' \
            'dataset.indices=16' in command
        # MMEngine's runtime environment report: the seed it set
        assert f'    seed: {seed}\n' in log
