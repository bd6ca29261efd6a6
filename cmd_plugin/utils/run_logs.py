"""Read what a run logged (MMEngine's ``vis_data/scalars.json``).

Imports nothing of the package, so the summary tools can load it by path
without importing torch.
"""
import glob
import json
import os.path as osp
from typing import Dict, List


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


def last_losses(records: List[Dict]) -> Dict[str, float]:
    """The last logged value of every ``loss_*`` term among ``records``."""
    last = {}
    for record in records:
        last.update({k: v for k, v in record.items()
                     if k.startswith('loss_')})
    return last
