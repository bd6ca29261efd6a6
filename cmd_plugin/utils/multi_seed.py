"""Train one config under several seeds and summarise a metric.

What ``tools/analysis_tools/multi_seed.py`` runs: one ``tools/train.py``
per seed into ``WORK_DIR/seed_<s>``, then the LAST validation value of the
metric of each run (the final epoch, not the best one: picking the best
epoch on the validation split would select on the numbers being reported),
and their mean and sample standard deviation (n - 1).
"""
import glob
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
from typing import Dict, List, Optional, Sequence, Tuple

SEED = '{seed}'
# console output of each run; MMEngine's own log misses import-time errors
RUN_LOG = 'multi_seed_train.log'
_TAIL = 15  # log lines quoted when a run fails


class RunFailed(RuntimeError):
    """A seed's training run exited non-zero or logged no metric."""


def seed_dir(work_dir: str, seed: int) -> str:
    return osp.join(work_dir, f'seed_{seed}')


def seed_overrides(seed_options: Sequence[str], seed: int) -> List[str]:
    """``--cfg-options`` entries of one seed; each must contain {seed}."""
    for option in seed_options:
        if SEED not in option or '=' not in option:
            raise ValueError(
                f'--seed-options entry {option!r} is not KEY=VALUE with '
                f'{SEED} in it (e.g. randomness.seed={SEED}); put options '
                'that are the same for every seed in --cfg-options.')
    return [option.replace(SEED, str(seed)) for option in seed_options]


def train_command(train_script: str, config: str, run_dir: str,
                  cfg_options: Sequence[str], seed_options: Sequence[str],
                  seed: int) -> List[str]:
    """The ``tools/train.py`` command line of one seed.

    One ``--cfg-options`` flag holds both lists (a second flag would replace
    the first); the seed's entries come last, so they win on a shared key.
    """
    options = list(cfg_options) + seed_overrides(seed_options, seed)
    cmd = [sys.executable, train_script, config, '--work-dir', run_dir]
    return cmd + (['--cfg-options'] + options if options else [])


def run_seed(cmd: List[str], run_dir: str, seed: int) -> str:
    """Run one seed's command, its console output in ``RUN_LOG``."""
    os.makedirs(run_dir, exist_ok=True)
    log = osp.join(run_dir, RUN_LOG)
    with open(log, 'w') as f:
        f.write(' '.join(cmd) + '\n')
        f.flush()
        code = subprocess.call(cmd, stdout=f, stderr=subprocess.STDOUT)
    if code != 0:
        with open(log) as f:
            tail = ''.join(f.readlines()[-_TAIL:])
        raise RunFailed(f'seed {seed}: training exited with code {code}; '
                        f'see its log {log}. It ends:\n{tail}')
    return log


def read_last_value(run_dir: str, metric: str) -> Tuple[float, int, str]:
    """(value, step, file) of the last validation ``metric`` of a run.

    The newest ``*/vis_data/scalars.json`` under ``run_dir`` is read;
    validation records are those without the ``iter`` key that training
    records carry. ``step`` is the epoch (the iteration for runs that log
    metrics by iteration).

    Raises:
        RunFailed: No scalars file, or no validation record of ``metric``.
    """
    files = sorted(glob.glob(osp.join(run_dir, '*', 'vis_data',
                                      'scalars.json')))
    if not files:
        raise RunFailed(
            f'no */vis_data/scalars.json under {run_dir}: the run did not '
            'get to logging, or the config disables LocalVisBackend; see '
            f'{osp.join(run_dir, RUN_LOG)}')
    last: Optional[Dict] = None
    seen = set()
    with open(files[-1]) as f:
        for line in f:
            record = json.loads(line)
            if 'iter' in record:
                continue
            seen.update(record)
            if metric in record:
                last = record
    if last is None:
        have = sorted(seen - {'step', 'time', 'data_time'})
        raise RunFailed(
            f'{files[-1]} has no validation value of {metric!r}; its '
            f'validation records hold {have or "nothing"}. Pass --metric '
            'one of them, or check that the config validates.')
    return float(last[metric]), int(last.get('step', -1)), files[-1]


def mean_sd(values: Sequence[float]) -> Tuple[float, Optional[float]]:
    """Mean and sample standard deviation (None for a single value)."""
    values = list(values)
    if not values:
        raise ValueError('no values to summarise')
    sd = statistics.stdev(values) if len(values) > 1 else None
    return statistics.fmean(values), sd


def format_table(rows: Sequence[Tuple[int, float, int]], metric: str,
                 scale: float = 1.0, digits: int = 4) -> str:
    """Rows of (seed, value, step), then ``mean ± sd``."""
    values = [value * scale for _, value, _ in rows]
    mean, sd = mean_sd(values)
    width = max(len(metric), digits + 6)
    lines = [f'{metric} at the last validation (not the best epoch)'
             + (f', x{scale:g}' if scale != 1 else ''),
             f'{"seed":>6}  {"step":>6}  {metric:>{width}}']
    for (seed, _, step), value in zip(rows, values):
        lines.append(f'{seed:>6}  {step:>6}  {value:>{width}.{digits}f}')
    spread = f'{sd:.{digits}f}' if sd is not None else 'n/a (one seed)'
    lines.append(f'mean ± sd over {len(values)} seeds (sample sd, n-1): '
                 f'{mean:.{digits}f} ± {spread}')
    return '\n'.join(lines)
