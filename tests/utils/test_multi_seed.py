"""multi_seed: last validation value per run, mean ± sample sd, failures
named with their log."""
import importlib.util
import json
import os.path as osp
import sys

import pytest

from cmd_plugin.utils.multi_seed import (RUN_LOG, RunFailed, format_table,
                                         mean_sd, read_last_value, run_seed,
                                         seed_overrides, train_command)
from tests.conftest import ROOT

TOOL = 'tools/analysis_tools/multi_seed.py'


def load_tool():
    spec = importlib.util.spec_from_file_location('multi_seed',
                                                  osp.join(ROOT, TOOL))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_scalars(run_dir, stamp, records):
    vis = run_dir / stamp / 'vis_data'
    vis.mkdir(parents=True)
    (vis / 'scalars.json').write_text(
        ''.join(json.dumps(r) + '\n' for r in records))


def train(it, **extra):
    return dict(lr=0.1, loss=1.0, epoch=1, iter=it, step=it, **extra)


def fake_run(run_dir, values):
    """A run validating once per epoch with ``values``, training between."""
    records = []
    for epoch, value in enumerate(values, 1):
        records.append(train(epoch * 10, **{'acc/top1': 0.99}))
        records.append({'acc/top1': value, 'acc/top5': 1.0, 'time': 0.1,
                        'step': epoch})
    write_scalars(run_dir, '20240101_000000', records)


def test_the_last_validation_counts_not_the_best(tmp_path):
    # a training record carrying the same key must not count either
    fake_run(tmp_path, [0.3, 0.8, 0.6])
    value, step, path = read_last_value(str(tmp_path), 'acc/top1')
    assert (value, step) == (0.6, 3)
    assert path.endswith('scalars.json')


def test_the_newest_run_of_a_work_dir_is_read(tmp_path):
    write_scalars(tmp_path, '20240101_000000', [{'acc/top1': 0.1, 'step': 1}])
    write_scalars(tmp_path, '20240102_000000', [{'acc/top1': 0.2, 'step': 2}])
    assert read_last_value(str(tmp_path), 'acc/top1')[:2] == (0.2, 2)


def test_a_missing_metric_lists_the_ones_there(tmp_path):
    fake_run(tmp_path, [0.5])
    with pytest.raises(RunFailed, match=r"no validation value of 'knn/j'.*"
                       r"\['acc/top1', 'acc/top5'\]"):
        read_last_value(str(tmp_path), 'knn/j')


def test_a_run_without_scalars_is_named(tmp_path):
    with pytest.raises(RunFailed, match='no .*scalars.json under .*'
                       + RUN_LOG):
        read_last_value(str(tmp_path), 'acc/top1')


def test_mean_and_sample_sd():
    mean, sd = mean_sd([0.5, 0.7, 0.6])
    assert mean == pytest.approx(0.6)
    assert sd == pytest.approx(0.1)  # n - 1; the population sd is 0.0816
    assert mean_sd([0.4]) == (0.4, None)


def test_table_has_a_row_per_seed_then_mean_sd():
    text = format_table([(0, 0.5, 80), (1, 0.7, 80), (2, 0.6, 80)],
                        'acc/top1', scale=100, digits=2)
    lines = text.splitlines()
    assert 'last validation (not the best epoch), x100' in lines[0]
    assert lines[2].split() == ['0', '80', '50.00']
    assert lines[4].split() == ['2', '80', '60.00']
    assert lines[-1].endswith('60.00 ± 10.00')
    assert 'n/a' in format_table([(0, 0.5, 1)], 'acc/top1')


def test_seed_options_are_filled_and_merged_into_one_flag():
    assert seed_overrides(['a.seed={seed}', 'b={seed}x'], 3) == \
        ['a.seed=3', 'b=3x']
    with pytest.raises(ValueError, match=r"'randomness.seed=1' .*\{seed\}"):
        seed_overrides(['randomness.seed=1'], 0)
    cmd = train_command('train.py', 'cfg.py', 'w/seed_2', ['x=1'],
                        ['randomness.seed={seed}'], 2)
    assert cmd[0] == sys.executable
    assert cmd[1:] == ['train.py', 'cfg.py', '--work-dir', 'w/seed_2',
                       '--cfg-options', 'x=1', 'randomness.seed=2']
    assert '--cfg-options' not in train_command('t', 'c', 'w', [], [], 0)


def test_a_failing_run_names_its_log(tmp_path):
    # the output differs from the command line, which the log starts with
    cmd = [sys.executable, '-c', 'print("bo" + "om"); raise SystemExit(3)']
    with pytest.raises(RunFailed, match=r'(?s)seed 4: .*code 3; see its log '
                       r'.*seed_4.*' + RUN_LOG + r'.*boom'):
        run_seed(cmd, str(tmp_path / 'seed_4'), 4)
    assert 'boom' in (tmp_path / 'seed_4' / RUN_LOG).read_text()


def test_cli_summarises_existing_runs(tmp_path, capsys):
    for seed, values in [(0, [0.2, 0.5]), (1, [0.9, 0.7])]:
        fake_run(tmp_path / f'seed_{seed}', values)
    tool = load_tool()
    assert tool.main(['cfg.py', '--seeds', '0', '1', '--work-dir',
                      str(tmp_path), '--no-train']) == 0
    out = capsys.readouterr().out
    assert '0.6000 ± 0.1414' in out
    # a seed without a run: exit 1 and say which directory
    assert tool.main(['cfg.py', '--seeds', '0', '2', '--work-dir',
                      str(tmp_path), '--no-train']) == 1
    assert 'seed_2' in capsys.readouterr().err


def test_cli_stops_at_a_failing_seed(tmp_path, capsys, monkeypatch):
    tool = load_tool()
    script = tmp_path / 'fail.py'
    script.write_text('import sys\nprint("no such " + "config")\n'
                      'sys.exit(2)\n')
    monkeypatch.setattr(tool, 'TRAIN', str(script))
    assert tool.main(['cfg.py', '--seeds', '5', '6', '--work-dir',
                      str(tmp_path / 'w')]) == 1
    err = capsys.readouterr().err
    assert 'seed 5: training exited with code 2' in err
    assert osp.join('seed_5', RUN_LOG) in err and 'no such config' in err
    assert not (tmp_path / 'w' / 'seed_6').exists()


def test_cli_refuses_repeated_seeds():
    with pytest.raises(SystemExit):
        load_tool().parse_args(['c.py', '--seeds', '1', '1', '--work-dir',
                                'w'])
