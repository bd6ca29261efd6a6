"""Read what training runs logged: the one reader behind the study runner
and the reports.

MMEngine writes every logged scalar of a run to
``<work_dir>/<timestamp>/vis_data/scalars.json`` (one JSON record per
line). From those records: the kNN monitor's evaluations (epoch 0 is
``ValAtStartHook``'s random-initialisation pass), the last value of a
validation metric, the last and lowest contrastive losses; and the mean ±
sample sd of a value over seeds.

Standard library only, so a report over finished runs starts in a blink
instead of importing torch and MMAction2. The tools beside it import it as
a sibling module (Python puts a script's folder first on its path).
"""
import glob
import json
import os.path as osp
import statistics
from typing import Dict, List, Optional, Sequence, Tuple


class RunFailed(RuntimeError):
    """A run exited non-zero or logged nothing to read."""


def newest_scalars(work_dir: str) -> str:
    """The ``scalars.json`` of the newest run in ``work_dir``."""
    logs = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data',
                                     'scalars.json')))
    if not logs:
        raise FileNotFoundError(
            f'no */vis_data/scalars.json under {work_dir!r}: did the '
            'training run finish with LocalVisBackend enabled?')
    return logs[-1]


def read_records(path: str) -> List[Dict]:
    """Every record of one ``scalars.json``, in logging order."""
    with open(path) as f:
        return [json.loads(line) for line in f]


def knn_only(records: List[Dict], source: str) -> List[Dict]:
    """The kNN records among ``records`` (read from ``source``); at least
    the epoch-0 one and one after training."""
    knn = [r for r in records if any(key.startswith('knn/') for key in r)]
    if len(knn) < 2:
        raise ValueError(
            f'{source} holds {len(knn)} kNN evaluations; need the '
            'epoch-0 one (ValAtStartHook) and at least one after training')
    return knn


def read_knn_records(work_dir: str) -> List[Dict]:
    """kNN records of the newest run in ``work_dir``, in logging order."""
    path = newest_scalars(work_dir)
    return knn_only(read_records(path), path)


def knn_percent(record: Dict) -> Dict[str, float]:
    """``{stream or 'fused': 1-NN %}`` of one kNN record."""
    return {k[len('knn/'):]: 100 * v for k, v in record.items()
            if k.startswith('knn/')}


def last_losses(records: List[Dict]) -> Dict[str, float]:
    """The last logged value of every ``loss_*`` term among ``records``."""
    last = {}
    for record in records:
        last.update({k: v for k, v in record.items()
                     if k.startswith('loss_')})
    return last


def _contrast_terms(record: Dict) -> List[float]:
    # every loss term but CMD's distillation (loss_kd_*)
    return [v for k, v in record.items()
            if k.startswith('loss_') and not k.startswith('loss_kd_')]


def contrast_loss(losses: Dict[str, float]) -> Dict[str, float]:
    """Mean of the last contrastive terms, to set beside ln(K + 1),
    chance; ``{}`` when none was logged."""
    terms = _contrast_terms(losses)
    return dict(infonce=statistics.mean(terms)) if terms else {}


def lowest_contrast_loss(records: List[Dict]) -> Dict[str, float]:
    """The lowest mean contrastive term of one logged iteration, from the
    second epoch on: during the first the queue still holds its random
    initial vectors, easy negatives."""
    means = [statistics.mean(terms) for record in records
             if record.get('epoch', 2) >= 2
             for terms in [_contrast_terms(record)] if terms]
    return dict(infonce=min(means)) if means else {}


def read_last_value(run_dir: str, metric: str,
                    log_hint: str = '') -> Tuple[float, int, str]:
    """(value, step, file) of the last validation ``metric`` of a run.

    The newest ``*/vis_data/scalars.json`` under ``run_dir`` is read;
    validation records are those without the ``iter`` key that training
    records carry. ``step`` is the epoch (the iteration for runs that log
    metrics by iteration). The LAST value, not the best: picking the best
    epoch on the validation split would select on the numbers reported.

    Raises:
        RunFailed: No scalars file, or no validation record of ``metric``.
    """
    files = sorted(glob.glob(osp.join(run_dir, '*', 'vis_data',
                                      'scalars.json')))
    if not files:
        raise RunFailed(
            f'no */vis_data/scalars.json under {run_dir}: the run did not '
            'get to logging, or the config disables LocalVisBackend'
            + (f'; see {log_hint}' if log_hint else ''))
    last: Optional[Dict] = None
    seen = set()
    for record in read_records(files[-1]):
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
    """Mean and sample standard deviation (n - 1; None for one value)."""
    values = list(values)
    if not values:
        raise ValueError('no values to summarise')
    sd = statistics.stdev(values) if len(values) > 1 else None
    return statistics.fmean(values), sd
