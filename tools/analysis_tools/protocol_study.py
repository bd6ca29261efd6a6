"""Run the whole evaluation chain of one or more methods over seeds and
print one table: 1-NN and linear accuracy per stream and fused, each
pretrained method beside randomly initialised encoders and raw coordinates.

A study file (Python, read with MMEngine's Config) names the configs:

    methods = dict(
        cmd=dict(label='CMD',
                 pretrain='configs/cmd/...py',    # tools/train.py config
                 options=[],                       # its --cfg-options
                 linear='configs/.../..-{stream}_..py',
                 linear_options=[],                # e.g. a wider backbone
                 streams=['joint', 'motion', 'bone'],
                 random_init='random init (ST-GCN-tiny)'),  # optional row
        ...)
    raw = dict(linear='configs/baselines/raw-coordinates_...py',
               linear_options=['model.stream={stream}'],
               knn='CONFIG whose test_dataloader is a KNNEvalDataset',
               streams=['joint', 'motion', 'bone'])   # optional

Per method and seed: ``tools/train.py`` pretrains (its kNN monitor gives
1-NN: epoch 0 is the random-init row, the last epoch the method's), then
every stream's linear evaluation runs through ``tools/train.py`` and
``tools/test.py --dump``, and the streams' scores are fused with
MMAction2's shipped ``report_accuracy.py`` (equal weights). A step whose
result exists is not rerun, so an interrupted study resumes.

    python tools/analysis_tools/protocol_study.py \\
        tools/analysis_tools/studies/ucla-xview_cpu.py \\
        --seeds 0 1 2 --work-dir work_dirs/ucla_chain --jobs 2

Another linear probe of the same pretrained encoders (pretraining is not
rerun), e.g. with the features batch-normalised before the classifier:

    python tools/analysis_tools/protocol_study.py STUDY --seeds 0 1 2 \\
        --work-dir work_dirs/ucla_chain --probe bn \\
        --probe-options model.cls_head.feature_norm=batchnorm
"""
import argparse
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, List, Optional

from mmengine.config import Config

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)
from cmd_plugin.utils.run_logs import (knn_only, last_losses,  # noqa: E402
                                       newest_scalars, read_records)
from cmd_plugin.utils.score_fusion import fusion_report  # noqa: E402

STREAMS = ('joint', 'motion', 'bone')
COLUMNS = STREAMS + ('fused', )


class Study:
    """Runs the steps of a study into ``work_dir``; each step is skipped
    when its output exists."""

    def __init__(self, spec: Config, work_dir: str, threads: int,
                 probe: str = '', probe_options: Optional[List[str]] = None
                 ) -> None:
        self.spec = spec
        self.work_dir = work_dir
        self.threads = threads
        # another linear probe of the same pretraining runs: its results go
        # to scores-<probe>/ and linear-<probe>_<stream>/ beside the default
        self.probe = f'-{probe}' if probe else ''
        self.probe_options = list(probe_options or [])

    def _run(self, cmd: List[str], log: str) -> float:
        os.makedirs(osp.dirname(log), exist_ok=True)
        env = dict(os.environ, OMP_NUM_THREADS=str(self.threads))
        start = time.perf_counter()
        with open(log, 'w') as f:
            result = subprocess.run([sys.executable] + cmd, stdout=f,
                                    stderr=subprocess.STDOUT, env=env,
                                    cwd=ROOT)
        if result.returncode != 0:
            raise RuntimeError(f'{" ".join(cmd)} failed; see {log}')
        return time.perf_counter() - start

    def pretrain(self, name: str, seed: int) -> str:
        """Pretrain once; returns the last checkpoint."""
        method = self.spec.methods[name]
        work = osp.join(self.work_dir, name, f'seed{seed}', 'pretrain')
        last = osp.join(work, 'last_checkpoint')
        timing = osp.join(work, 'wall_seconds.json')
        if not (osp.exists(last) and osp.exists(timing)):
            cmd = ['tools/train.py', method.pretrain, '--work-dir', work,
                   '--seed', str(seed)]
            if method.get('options'):
                cmd += ['--cfg-options'] + list(method.options)
            seconds = self._run(cmd, osp.join(work, 'stdout.log'))
            with open(timing, 'w') as f:
                json.dump(dict(seconds=seconds), f)
        with open(last) as f:
            return f.read().strip()

    def linear(self, row: str, seed: int, template: str,
               streams: List[str], checkpoint: Optional[str],
               options: Optional[List[str]] = None) -> None:
        """Linear evaluation of each stream, scores dumped for fusion."""
        base = osp.join(self.work_dir, row, f'seed{seed}')
        options = list(options or []) + self.probe_options
        for stream in streams:
            dump = osp.join(base, f'scores{self.probe}', f'{stream}.pkl')
            if osp.exists(dump):
                continue
            config = template.format(stream=stream)
            work = osp.join(base, f'linear{self.probe}_{stream}')
            cmd = ['tools/train.py', config, '--work-dir', work, '--seed',
                   str(seed)]
            # '{stream}' in an option picks the stream of one config
            opts = [o.format(stream=stream) for o in options]
            if checkpoint is not None:
                opts.append(f'model.pretrained={checkpoint}')
            if opts:
                cmd += ['--cfg-options'] + opts
            self._run(cmd, osp.join(work, 'stdout.log'))
            with open(osp.join(work, 'last_checkpoint')) as f:
                trained = f.read().strip()
            test = ['tools/test.py', config, trained, '--work-dir',
                    osp.join(work, 'test'), '--dump', dump]
            if options:  # the model's shape, as it was trained
                test += ['--cfg-options'] + [
                    o.format(stream=stream) for o in options]
            self._run(test, osp.join(work, 'test.log'))

    def raw_knn(self) -> None:
        raw = self.spec.raw
        out = osp.join(self.work_dir, 'raw', 'knn.json')
        if osp.exists(out):
            return
        sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
        from knn_raw_coordinates import raw_coordinate_knn
        result = raw_coordinate_knn(Config.fromfile(raw.knn),
                                    streams=raw.streams)
        os.makedirs(osp.dirname(out), exist_ok=True)
        with open(out, 'w') as f:
            json.dump(result, f)

    def jobs(self, seeds: List[int],
             only: Optional[List[str]] = None) -> List[Callable[[], None]]:
        """Long jobs first, so two workers stay busy to the end."""
        long, short = [], []
        for name, method in self.spec.methods.items():
            if only is not None and name not in only:
                continue
            for seed in seeds:
                def chain(name=name, method=method, seed=seed):
                    ckpt = self.pretrain(name, seed)
                    self.linear(name, seed, method.linear, method.streams,
                                ckpt, method.get('linear_options'))
                long.append(chain)
                if method.get('random_init'):
                    short.append(lambda name=name, method=method, seed=seed:
                                 self.linear(f'{name}-random', seed,
                                             method.linear, method.streams,
                                             None,
                                             method.get('linear_options')))
        raw = self.spec.get('raw')
        if raw and (only is None or 'raw' in only):
            short.append(self.raw_knn)
            for seed in seeds:
                short.append(lambda seed=seed: self.linear(
                    'raw', seed, raw.linear, raw.streams, None,
                    raw.get('linear_options')))
        return long + short

    # -- collecting ------------------------------------------------------

    def linear_accuracy(self, row: str, seed: int,
                        streams: List[str]) -> Dict[str, float]:
        paths = [osp.join(self.work_dir, row, f'seed{seed}',
                          f'scores{self.probe}',
                          f'{s}.pkl') for s in streams]
        out = {}
        for r in fusion_report(paths):
            key = 'fused' if r['name'] == 'fusion' else r['name']
            out[key] = 100 * r['Top 1 Accuracy']
        return out

    def collect(self, seeds: List[int]) -> List[Dict]:
        """One dict per table row: label, per-seed 1-NN and linear; a
        method whose runs are missing is left out (named on stderr)."""
        rows = []
        parts = [('raw', self._collect_raw)] + [
            (name, lambda seeds, name=name: self._collect_method(name, seeds))
            for name in self.spec.methods
        ]
        for name, collect in parts:
            try:
                rows += collect(seeds)
            except (FileNotFoundError, ValueError) as e:
                print(f'{name} left out of the table (not run yet?): {e}',
                      file=sys.stderr)
        return rows

    def _collect_raw(self, seeds: List[int]) -> List[Dict]:
        raw = self.spec.get('raw')
        if not raw:
            return []
        with open(osp.join(self.work_dir, 'raw', 'knn.json')) as f:
            knn = {k: 100 * v for k, v in json.load(f).items()}
        return [dict(label='raw coordinates', knn=[knn],
                     linear=[self.linear_accuracy('raw', s, raw.streams)
                             for s in seeds])]

    def _collect_method(self, name: str, seeds: List[int]) -> List[Dict]:
        method = self.spec.methods[name]
        first, last, walls, contrast, lowest = [], [], [], [], []
        for seed in seeds:
            pre = osp.join(self.work_dir, name, f'seed{seed}', 'pretrain')
            scalars = newest_scalars(pre)
            records = read_records(scalars)  # read once: kNN and losses
            knn = knn_only(records, scalars)
            first.append(_knn(knn[0]))
            last.append(_knn(knn[-1]))
            contrast.append(_contrast_loss(last_losses(records)))
            lowest.append(_lowest_contrast_loss(records))
            with open(osp.join(pre, 'wall_seconds.json')) as f:
                walls.append(json.load(f)['seconds'])
        rows = []
        if method.get('random_init'):
            rows.append(dict(
                label=method.random_init, knn=first,
                linear=[self.linear_accuracy(f'{name}-random', s,
                                             method.streams)
                        for s in seeds]))
        rows.append(dict(
            label=method.get('label', name), knn=last,
            linear=[self.linear_accuracy(name, s, method.streams)
                    for s in seeds],
            pretrain_minutes=statistics.median(walls) / 60,
            infonce=contrast, infonce_min=lowest))
        return rows


def _knn(record: Dict) -> Dict[str, float]:
    return {k[len('knn/'):]: 100 * v for k, v in record.items()
            if k.startswith('knn/')}


def _contrast_loss(losses: Dict[str, float]) -> Dict[str, float]:
    """Mean of the last contrastive terms (every ``loss_*`` but CMD's
    distillation ``loss_kd_*``), to set beside ln(K + 1), chance."""
    terms = [v for k, v in losses.items() if not k.startswith('loss_kd_')]
    return dict(infonce=statistics.mean(terms)) if terms else {}


def _lowest_contrast_loss(records: List[Dict]) -> Dict[str, float]:
    """The lowest mean contrastive term of one logged iteration, from the
    second epoch on: during the first the queue still holds its random
    initial vectors, easy negatives."""
    means = []
    for record in records:
        if record.get('epoch', 2) < 2:
            continue
        terms = [v for k, v in record.items()
                 if k.startswith('loss_') and not k.startswith('loss_kd_')]
        if terms:
            means.append(statistics.mean(terms))
    return dict(infonce=min(means)) if means else {}


def _cell(values: List[Dict[str, float]], column: str) -> str:
    found = [v[column] for v in values if column in v]
    if not found:
        return '–'
    if len(found) == 1:
        return f'{found[0]:.1f}'
    return f'{statistics.mean(found):.1f} ± {statistics.stdev(found):.1f}'


def format_table(rows: List[Dict], seeds: List[int]) -> str:
    head = (['', 'pretrain min'] + [f'1-NN {c}' for c in COLUMNS] +
            [f'linear {c}' for c in COLUMNS] + ['InfoNCE min', 'InfoNCE end'])
    lines = ['| ' + ' | '.join(head) + ' |',
             '|' + '---|' * len(head)]
    for row in rows:
        minutes = row.get('pretrain_minutes')
        cells = ([row['label'],
                  f'{minutes:.1f}' if minutes is not None else '–'] +
                 [_cell(row['knn'], c) for c in COLUMNS] +
                 [_cell(row['linear'], c) for c in COLUMNS] +
                 [_cell(row.get('infonce_min', []), 'infonce'),
                  _cell(row.get('infonce', []), 'infonce')])
        lines.append('| ' + ' | '.join(cells) + ' |')
    lines.append(f'\nmean ± sd over seeds {", ".join(map(str, seeds))} '
                 '(a single number: deterministic); fused 1-NN: the '
                 'concatenated normalised streams; fused linear: score '
                 'fusion, equal weights; –: stream not evaluated; InfoNCE end: '
                 'the mean contrastive term of the last logged iterations, '
                 'InfoNCE min: its lowest logged value from epoch 2 on '
                 '(chance: ln(K + 1))')
    return '\n'.join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('study', help='study file (see the module doc)')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--work-dir', required=True)
    parser.add_argument('--jobs', type=int, default=1,
                        help='steps run side by side')
    parser.add_argument('--threads', type=int, default=1,
                        help='OMP threads of each step')
    parser.add_argument('--only', nargs='+', default=None,
                        help="run only these methods ('raw': the raw-coordinate "
                        'rows); the table still needs all of them')
    parser.add_argument(
        '--probe', default='',
        help='name of another linear probe of the same pretraining runs '
        '(e.g. bn); its results are kept apart from the default probe')
    parser.add_argument(
        '--probe-options', nargs='+', default=[],
        help='cfg-options of every linear run of that probe, e.g. '
        'model.cls_head.feature_norm=batchnorm')
    parser.add_argument('--report-only', action='store_true',
                        help='print the table of what has run')
    args = parser.parse_args()
    spec = Config.fromfile(args.study)
    if bool(args.probe) != bool(args.probe_options):
        parser.error('--probe and --probe-options go together')
    study = Study(spec, args.work_dir, args.threads, args.probe,
                  args.probe_options)
    if not args.report_only:
        jobs = study.jobs(args.seeds, args.only)
        with ThreadPoolExecutor(args.jobs) as pool:
            for future in [pool.submit(job) for job in jobs]:
                future.result()
    rows = study.collect(args.seeds)
    with open(osp.join(args.work_dir, f'results{study.probe}.json'),
              'w') as f:
        json.dump(rows, f, indent=1)
    print(format_table(rows, args.seeds))


if __name__ == '__main__':
    main()
