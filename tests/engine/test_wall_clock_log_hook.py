"""WallClockLogHook with a fake clock and a fake runner."""
import logging
import os.path as osp
from types import SimpleNamespace

from cmd_plugin.engine.hooks import WallClockLogHook
from cmd_plugin.engine.hooks.wall_clock_log_hook import format_duration
from mmaction.registry import HOOKS


class FakeClock:

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class KNNEvalDataset(list):
    """Stands in for the real one: only the class name and len matter."""


def _runner(name, dataset=None, batches=10):
    logger = logging.getLogger(f'test_wall_clock.{name}')
    logger.setLevel(logging.INFO)
    logger.propagate = False
    lines = []
    logger.addHandler(_ListHandler(lines))
    loader = _Loader(dataset or [], batches)
    processor = SimpleNamespace(get_log_after_iter=lambda runner, idx, mode: (
        {}, f'Epoch({mode}) [1][{idx + 1}/100]  lr: 1e-02  loss: 0.5  '
        'time: 14.0'))
    return SimpleNamespace(logger=logger, log_processor=processor,
                           val_dataloader=loader, test_dataloader=loader,
                           lines=lines)


class _Loader:

    def __init__(self, dataset, batches):
        self.dataset = dataset
        self._batches = batches

    def __len__(self):
        return self._batches


class _ListHandler(logging.Handler):

    def __init__(self, lines):
        super().__init__()
        self.lines = lines

    def emit(self, record):
        self.lines.append(record.getMessage())


def test_registered_and_in_the_base_cmd_config():
    from mmengine.config import Config

    from tests.conftest import ROOT
    assert HOOKS.get('WallClockLogHook') is WallClockLogHook
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'cmd_ntu60.py'),
                          import_custom_modules=False)
    assert dict(type='WallClockLogHook', seconds=60) in cfg.custom_hooks


def test_training_logs_after_a_silent_minute_whatever_the_interval():
    clock = FakeClock()
    hook = WallClockLogHook(seconds=60, clock=clock)
    runner = _runner('train')
    hook.before_run(runner)
    for idx in range(4):  # 14 s per step, as at full width
        clock.now += 14
        hook.after_train_iter(runner, idx)
    assert runner.lines == []  # 56 s: still quiet
    clock.now += 14
    hook.after_train_iter(runner, 4)
    assert runner.lines == [
        'Epoch(train) [1][5/100]  lr: 1e-02  loss: 0.5  time: 14.0']
    clock.now += 14
    hook.after_train_iter(runner, 5)
    assert len(runner.lines) == 1  # the minute restarts at each line


def test_any_line_of_the_logger_restarts_the_minute():
    clock = FakeClock()
    hook = WallClockLogHook(seconds=60, clock=clock)
    runner = _runner('other_line')
    hook.before_run(runner)
    clock.now += 50
    runner.logger.info('Epoch(train) [1][50/100] from LoggerHook')
    clock.now += 50
    hook.after_train_iter(runner, 50)
    assert len(runner.lines) == 1
    hook.after_run(runner)
    clock.now += 100
    runner.logger.info('after the run')  # no longer watched
    assert hook.last_line == 1050.0


def test_knn_pass_reports_samples_elapsed_and_eta():
    clock = FakeClock()
    hook = WallClockLogHook(seconds=60, clock=clock)
    runner = _runner('knn', KNNEvalDataset(range(16487)), batches=258)
    hook.before_run(runner)
    hook.before_val_epoch(runner)
    for idx in range(258):
        clock.now += 1.6  # 7 minutes in all
        hook.after_val_iter(runner, idx)
    hook.after_val_epoch(runner, {})
    progress = [line for line in runner.lines if 'ETA' in line]
    assert len(progress) == 6  # one a minute
    assert progress[0] == 'kNN pass: 2,429 / 16,487 samples, 61 s, ETA 6 min'
    assert runner.lines[-1] == 'kNN pass: 16,487 samples in 7 min'


def test_short_test_pass_stays_quiet_and_names_the_mode():
    clock = FakeClock()
    hook = WallClockLogHook(seconds=60, clock=clock)
    runner = _runner('test', list(range(100)), batches=2)
    hook.before_test_epoch(runner)
    clock.now += 5
    hook.after_test_iter(runner, 0)
    hook.after_test_iter(runner, 1)
    hook.after_test_epoch(runner, {})
    assert runner.lines == []
    hook.before_test_epoch(runner)
    clock.now += 61
    hook.after_test_iter(runner, 0)
    assert runner.lines == ['test pass: 50 / 100 samples, 61 s, ETA 61 s']


def test_format_duration():
    assert format_duration(35) == '35 s'
    assert format_duration(420) == '7 min'
    assert format_duration(9000) == '2.5 h'
