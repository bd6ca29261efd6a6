"""Pretrain a config over several seeds and variants; tabulate 1-NN results.

Each run goes through ``tools/train.py``; its epoch-0 kNN evaluation
(``ValAtStartHook``) is the random-initialisation reference and its last
one the pretrained result. Prints mean ± sd over seeds as a Markdown table.

    python tools/analysis_tools/knn_study.py CONFIG --seeds 0 1 2 \
        --variant cmd= --variant no-distill=model.distill_pairs=none \
        --work-dir work_dirs/ucla_study [--jobs 2]
"""
import argparse
import os
import os.path as osp
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Tuple

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from knn_summary import read_knn_records  # noqa: E402

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def run_one(config: str, work_dir: str, seed: int, options: List[str],
            threads: int) -> Tuple[Dict, Dict]:
    """Train once (skipped when its log already exists); kNN first/last."""
    try:
        records = read_knn_records(work_dir)
        if records[-1].get('step') is not None and len(records) > 1:
            return records[0], records[-1]
    except (FileNotFoundError, ValueError):
        pass
    cmd = [sys.executable, osp.join(ROOT, 'tools', 'train.py'), config,
           '--work-dir', work_dir, '--seed', str(seed)]
    if options:
        cmd += ['--cfg-options'] + options
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    os.makedirs(work_dir, exist_ok=True)
    with open(osp.join(work_dir, 'stdout.log'), 'w') as log:
        subprocess.run(cmd, check=True, stdout=log, stderr=subprocess.STDOUT,
                       env=env, cwd=ROOT)
    records = read_knn_records(work_dir)
    return records[0], records[-1]


def mean_sd(values: List[float]) -> str:
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f'{100 * statistics.mean(values):.1f} ± {100 * sd:.1f}'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument(
        '--variant',
        action='append',
        required=True,
        help='NAME=OPT1,OPT2 (cfg-options, may be empty: NAME=)')
    parser.add_argument('--work-dir', required=True)
    parser.add_argument('--jobs', type=int, default=1)
    args = parser.parse_args()

    jobs = []
    for variant in args.variant:
        name, _, opts = variant.partition('=')
        options = [o for o in opts.split(',') if o]
        for seed in args.seeds:
            jobs.append((name, seed, options))
    threads = max(1, (os.cpu_count() or 1) // args.jobs)
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(
            pool.map(
                lambda job: run_one(
                    args.config,
                    osp.join(args.work_dir, f'{job[0]}_seed{job[1]}'),
                    job[1], job[2], threads), jobs))

    streams = [k for k in results[0][0] if k.startswith('knn/')]
    # every variant of one seed starts from the same initialisation
    first = jobs[0][0]
    rows = {
        'random init (epoch 0)':
        [r[0] for job, r in zip(jobs, results) if job[0] == first]
    }
    for (name, _, _), result in zip(jobs, results):
        rows.setdefault(name, []).append(result[1])
    print(f'\n{len(args.seeds)} seeds {args.seeds}, 1-NN accuracy (%) '
          'mean ± sd\n')
    print('| | ' + ' | '.join(s[len('knn/'):] for s in streams) + ' |')
    print('|---' * (len(streams) + 1) + '|')
    for name, records in rows.items():
        cells = [mean_sd([r[s] for r in records]) for s in streams]
        print(f'| {name} | ' + ' | '.join(cells) + ' |')


if __name__ == '__main__':
    main()
