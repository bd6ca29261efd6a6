"""Read what a run logged (MMEngine's ``vis_data/scalars.json``).

Imports nothing of the package, so the summary tools can load it by path
without importing torch.
"""
import glob
import json
import os.path as osp
from typing import Dict, List


def read_knn_records(work_dir: str) -> List[Dict]:
    """kNN records of the newest run in ``work_dir``, in logging order."""
    logs = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data',
                                     'scalars.json')))
    if not logs:
        raise FileNotFoundError(
            f'no */vis_data/scalars.json under {work_dir!r}: did the '
            'training run finish with LocalVisBackend enabled?')
    records = []
    with open(logs[-1]) as f:
        for line in f:
            record = json.loads(line)
            if any(key.startswith('knn/') for key in record):
                records.append(record)
    if len(records) < 2:
        raise ValueError(
            f'{logs[-1]} holds {len(records)} kNN evaluations; need the '
            'epoch-0 one (ValAtStartHook) and at least one after training')
    return records


def read_last_losses(work_dir: str) -> Dict[str, float]:
    """The last logged value of every ``loss_*`` term of the newest run in
    ``work_dir`` (training records, in logging order)."""
    logs = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data',
                                     'scalars.json')))
    if not logs:
        raise FileNotFoundError(
            f'no */vis_data/scalars.json under {work_dir!r}')
    last = {}
    with open(logs[-1]) as f:
        for line in f:
            record = json.loads(line)
            last.update({k: v for k, v in record.items()
                         if k.startswith('loss_')})
    return last
