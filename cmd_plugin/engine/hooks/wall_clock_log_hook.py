"""A log line at least every minute, in training and in evaluation."""
import logging
import math
import time
from typing import Callable, Optional

from mmengine.dist import get_rank
from mmengine.hooks import Hook

from mmaction.registry import HOOKS


def format_duration(seconds: float) -> str:
    """``'35 s'``, ``'7 min'``, ``'2.5 h'``: coarse, for an ETA."""
    if seconds < 90:
        return f'{seconds:.0f} s'
    if seconds < 90 * 60:
        return f'{seconds / 60:.0f} min'
    return f'{seconds / 3600:.1f} h'


class _LastLineHandler(logging.Handler):
    """Notes when the runner's logger last wrote, whoever wrote it."""

    def __init__(self, hook: 'WallClockLogHook') -> None:
        super().__init__()
        self.hook = hook

    def emit(self, record: logging.LogRecord) -> None:
        self.hook.last_line = self.hook.clock()


@HOOKS.register_module()
class WallClockLogHook(Hook):
    """Never leave the log silent for more than ``seconds``.

    ``LoggerHook`` counts iterations: at full width one step can take 14 s,
    so ``interval=50`` means twelve silent minutes, and a kNN pass over
    the NTU reference and query sets says nothing until its metrics. When
    ``seconds`` have passed since the runner's logger last wrote anything,
    this hook writes, on rank 0:

    * in training, ``LoggerHook``'s own line for the current iteration
      (losses, lr, time per iteration), whatever ``logger.interval`` is;
    * in a val/test pass, ``kNN pass: 1,200 / 56,578 samples, 35 s, ETA
      7 min`` (``val pass``/``test pass`` for other datasets), and the
      pass's total time at its end if it printed any progress.

    Args:
        seconds (float): Longest silence allowed. Defaults to 60.
        clock (callable): Returns seconds; for tests. Defaults to
            ``time.monotonic``.
    """

    # after LoggerHook (BELOW_NORMAL): a line it has just written counts
    priority = 'LOW'

    def __init__(self, seconds: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self.last_line: Optional[float] = None
        self._handler: Optional[_LastLineHandler] = None
        self._logger = None
        self._pass: Optional[dict] = None

    def _watch(self, runner) -> None:
        if self._logger is not runner.logger:
            self._unwatch()
            self._handler = _LastLineHandler(self)
            runner.logger.addHandler(self._handler)
            self._logger = runner.logger
            self.last_line = self.clock()

    def _unwatch(self) -> None:
        if self._logger is not None:
            self._logger.removeHandler(self._handler)
        self._logger = None

    def _silent_too_long(self, runner) -> bool:
        self._watch(runner)
        return (get_rank() == 0
                and self.clock() - self.last_line >= self.seconds)

    def before_run(self, runner) -> None:
        self._watch(runner)

    def after_run(self, runner) -> None:
        self._unwatch()

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        if self._silent_too_long(runner):
            _, line = runner.log_processor.get_log_after_iter(
                runner, batch_idx, 'train')
            runner.logger.info(line)

    # --- val / test passes ----------------------------------------------
    def _start_pass(self, runner, mode: str) -> None:
        self._watch(runner)
        loader = getattr(runner, f'{mode}_dataloader')
        dataset = loader.dataset
        kind = ('kNN' if type(dataset).__name__.startswith('KNN') else mode)
        self._pass = dict(
            label=f'{kind} pass', start=self.clock(), total=len(dataset),
            batches=max(len(loader), 1), reported=False)

    def _progress(self, runner, batch_idx: int) -> None:
        if self._pass is None or not self._silent_too_long(runner):
            return
        p = self._pass
        done_batches = batch_idx + 1
        done = min(p['total'],
                   math.ceil(p['total'] * done_batches / p['batches']))
        elapsed = self.clock() - p['start']
        eta = elapsed * (p['batches'] - done_batches) / done_batches
        runner.logger.info(
            f'{p["label"]}: {done:,} / {p["total"]:,} samples, '
            f'{format_duration(elapsed)}, ETA {format_duration(eta)}')
        p['reported'] = True

    def _end_pass(self, runner) -> None:
        p, self._pass = self._pass, None
        if p is not None and p['reported'] and get_rank() == 0:
            runner.logger.info(
                f'{p["label"]}: {p["total"]:,} samples in '
                f'{format_duration(self.clock() - p["start"])}')

    def before_val_epoch(self, runner) -> None:
        self._start_pass(runner, 'val')

    def before_test_epoch(self, runner) -> None:
        self._start_pass(runner, 'test')

    def after_val_iter(self, runner, batch_idx: int, data_batch=None,
                       outputs=None) -> None:
        self._progress(runner, batch_idx)

    def after_test_iter(self, runner, batch_idx: int, data_batch=None,
                        outputs=None) -> None:
        self._progress(runner, batch_idx)

    def after_val_epoch(self, runner, metrics=None) -> None:
        self._end_pass(runner)

    def after_test_epoch(self, runner, metrics=None) -> None:
        self._end_pass(runner)
