"""The run reader (runs.py) and the study runner's seed handling: last
validation value per run, mean ± sample sd, failures named with their
log."""
import json

import pytest
from mmengine.config import Config

import study as study_tool
from runs import RunFailed, mean_sd, read_last_value
from study import RUN_LOG, Study, fill, format_metric_table
from tests.tools.test_study import _recording_run


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
        read_last_value(str(tmp_path), 'acc/top1', f'w/{RUN_LOG}')


def test_mean_and_sample_sd():
    mean, sd = mean_sd([0.5, 0.7, 0.6])
    assert mean == pytest.approx(0.6)
    assert sd == pytest.approx(0.1)  # n - 1; the population sd is 0.0816
    assert mean_sd([0.4]) == (0.4, None)


def test_table_has_a_row_per_seed_then_mean_sd():
    text = format_metric_table([(0, 0.5, 80), (1, 0.7, 80), (2, 0.6, 80)],
                               'acc/top1', scale=100, digits=2)
    lines = text.splitlines()
    assert 'last validation (not the best epoch), x100' in lines[0]
    assert lines[2].split() == ['0', '80', '50.00']
    assert lines[4].split() == ['2', '80', '60.00']
    assert lines[-1].endswith('60.00 ± 10.00')
    assert 'n/a' in format_metric_table([(0, 0.5, 1)], 'acc/top1')


def _one_config_study(tmp_path, options=(), cfg_options=()):
    spec = Config(dict(methods=dict(semi=dict(
        label='semi', pretrain='cfg.py', options=list(options)))))
    return Study(spec, str(tmp_path), threads=1,
                 cfg_options=list(cfg_options))


def test_seed_options_are_filled_and_merged_into_one_flag(tmp_path):
    assert fill(['a.seed={seed}', 'b={seed}x', 'c=1'], seed=3) == \
        ['a.seed=3', 'b=3x', 'c=1']
    calls = []
    study = _one_config_study(tmp_path, ['randomness.seed={seed}'], ['x=1'])
    study._run = _recording_run(calls)
    study.pretrain('semi', 2, stage='train')
    cmd = calls[0]
    assert cmd[:2] == ['tools/train.py', 'cfg.py']
    assert cmd[cmd.index('--seed') + 1] == '2'
    # one flag: the common options first, the method's (seeded) last
    assert cmd[cmd.index('--cfg-options'):] == [
        '--cfg-options', 'x=1', 'randomness.seed=2']
    calls.clear()
    plain = _one_config_study(tmp_path / 'plain')
    plain._run = _recording_run(calls)
    plain.pretrain('semi', 0)
    assert '--cfg-options' not in calls[0]


def test_a_failing_run_names_its_log(tmp_path):
    # the output differs from the command line, which the log starts with
    study = _one_config_study(tmp_path)
    cmd = ['-c', 'print("bo" + "om"); raise SystemExit(3)']
    log = tmp_path / 'semi' / 'seed4' / 'train' / RUN_LOG
    with pytest.raises(RunFailed, match=r'(?s)code 3; see .*seed4.*'
                       + RUN_LOG + r'.*boom'):
        study._run(cmd, str(log))
    assert 'boom' in log.read_text()


def _write_runs(tmp_path, runs):
    for seed, values in runs:
        fake_run(tmp_path / 'default' / f'seed{seed}' / 'train', values)


def test_cli_summarises_existing_runs(tmp_path, capsys):
    _write_runs(tmp_path, [(0, [0.2, 0.5]), (1, [0.9, 0.7])])
    config = tmp_path / 'cfg.py'
    config.write_text('model = dict()\n')
    assert study_tool.main([str(config), '--metric', 'acc/top1', '--seeds',
                            '0', '1', '--work-dir', str(tmp_path),
                            '--no-train']) == 0
    out = capsys.readouterr().out
    assert '0.6000 ± 0.1414' in out
    # a seed without a run: exit 1 and say which directory
    assert study_tool.main([str(config), '--metric', 'acc/top1', '--seeds',
                            '0', '2', '--work-dir', str(tmp_path),
                            '--no-train']) == 1
    assert 'seed2' in capsys.readouterr().err


def test_cli_stops_at_a_failing_seed(tmp_path, capsys, monkeypatch):
    root = tmp_path / 'repo'
    (root / 'tools').mkdir(parents=True)
    (root / 'tools' / 'train.py').write_text(
        'import sys\nprint("no such " + "config")\nsys.exit(2)\n')
    monkeypatch.setattr(study_tool, 'ROOT', str(root))
    config = tmp_path / 'cfg.py'
    config.write_text('model = dict()\n')
    work = tmp_path / 'w'
    assert study_tool.main([str(config), '--metric', 'acc/top1', '--seeds',
                            '5', '6', '--work-dir', str(work)]) == 1
    err = capsys.readouterr().err
    assert 'exited with code 2' in err
    assert f'seed5/train/{RUN_LOG}' in err and 'no such config' in err
    assert not (work / 'default' / 'seed6').exists()


def test_cli_refuses_repeated_seeds():
    with pytest.raises(SystemExit):
        study_tool.parse_args(['c.py', '--seeds', '1', '1', '--work-dir',
                               'w'])


def test_a_config_needs_a_table_and_a_study_file_no_variants(tmp_path,
                                                             capsys):
    config = tmp_path / 'cfg.py'
    config.write_text('model = dict()\n')
    assert study_tool.main([str(config), '--work-dir', str(tmp_path)]) == 2
    assert '--knn-only' in capsys.readouterr().err
    spec = tmp_path / 'study.py'
    spec.write_text("methods = dict(a=dict(pretrain='p.py'))\n")
    assert study_tool.main([str(spec), '--variant', 'x=', '--work-dir',
                            str(tmp_path)]) == 2
    assert 'study file' in capsys.readouterr().err
    with pytest.raises(SystemExit):
        study_tool.parse_args(['c.py', '--work-dir', 'w', '--knn-only',
                               '--metric', 'acc/top1'])
