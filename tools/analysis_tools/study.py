"""Train methods over seeds, run every evaluation protocol, print one table.

TARGET is a study file, or one config with ``--variant``s. A study file
(Python, read with MMEngine's Config) names the configs of each method:

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

    python tools/analysis_tools/study.py \\
        tools/analysis_tools/studies/ucla-xview_cpu.py \\
        --seeds 0 1 2 --work-dir work_dirs/ucla_chain --jobs 2

Overrides, one syntax everywhere: ``--variant NAME=K=V,K=V`` is a method
made of TARGET (a config) and those cfg-options (``NAME=`` for none);
``--cfg-options K=V ...`` go to every training run. In any option
``{seed}`` becomes the run's seed and ``{stream}`` the linear run's stream.

``--knn-only``: pretraining and the 1-NN table only (random init = the
first method's epoch 0), e.g. distillation on and off:

    python tools/analysis_tools/study.py CONFIG --knn-only --seeds 0 1 2 \\
        --variant cmd= --variant no-distill=model.distill_pairs=none \\
        --work-dir work_dirs/ucla_knn

``--metric NAME``: train TARGET per seed and report the LAST validation
value of NAME (the final epoch, not the best) and its mean ± sample sd,
e.g. five label subsets of a semi-supervised run:

    python tools/analysis_tools/study.py CONFIG --metric acc/top1 \\
        --scale 100 --seeds 0 1 2 3 4 --work-dir work_dirs/semi1 \\
        --variant 'semi=train_dataloader.dataset.subset_seed={seed}'

Another linear probe of the same pretrained encoders (pretraining is not
rerun), e.g. with the features batch-normalised before the classifier:

    python tools/analysis_tools/study.py STUDY --seeds 0 1 2 \\
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
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, List, Optional

from mmengine.config import Config, ConfigDict

from runs import (RunFailed, contrast_loss, knn_only, knn_percent,
                  last_losses, lowest_contrast_loss, mean_sd, newest_scalars,
                  read_last_value, read_records)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
STREAMS = ('joint', 'motion', 'bone')
COLUMNS = STREAMS + ('fused', )
RUN_LOG = 'stdout.log'  # console output; MMEngine's log misses import errors
_TAIL = 15  # log lines quoted when a run fails


def parse_variant(text: str) -> tuple:
    """``NAME=K=V,K=V`` -> (NAME, [K=V, K=V]); ``NAME=`` has no options."""
    name, sep, options = text.partition('=')
    if not sep or not name:
        raise ValueError(f'--variant {text!r} is not NAME=K=V,K=V (NAME= '
                         'for the config as it is)')
    return name, [o for o in options.split(',') if o]


def fill(options: List[str], **values) -> List[str]:
    """``{seed}`` / ``{stream}`` in options replaced; others left."""
    out = []
    for option in options:
        for key, value in values.items():
            option = option.replace('{' + key + '}', str(value))
        out.append(option)
    return out


def methods_from_config(config: str, variants: List[str]) -> ConfigDict:
    """A study's methods made of one config and its variants."""
    methods = ConfigDict()
    for text in variants or ['default=']:
        name, options = parse_variant(text)
        if name in methods:
            raise ValueError(f'--variant {name} is given twice')
        methods[name] = ConfigDict(label=name, pretrain=config,
                                   options=options)
    return methods


class Study:
    """Runs the steps of a study into ``work_dir``; each step is skipped
    when its output exists."""

    def __init__(self, spec: Config, work_dir: str, threads: int,
                 probe: str = '', probe_options: Optional[List[str]] = None,
                 cfg_options: Optional[List[str]] = None) -> None:
        self.spec = spec
        self.work_dir = work_dir
        self.threads = threads
        # another linear probe of the same pretraining runs: its results go
        # to scores-<probe>/ and linear-<probe>_<stream>/ beside the default
        self.probe = f'-{probe}' if probe else ''
        self.probe_options = list(probe_options or [])
        self.cfg_options = list(cfg_options or [])

    def _run(self, cmd: List[str], log: str) -> float:
        """Run a tool of this repository; its console output in ``log``
        (the command on the first line)."""
        os.makedirs(osp.dirname(log), exist_ok=True)
        env = dict(os.environ, OMP_NUM_THREADS=str(self.threads))
        start = time.perf_counter()
        with open(log, 'w') as f:
            f.write(' '.join(cmd) + '\n')
            f.flush()
            code = subprocess.call([sys.executable] + cmd, stdout=f,
                                   stderr=subprocess.STDOUT, env=env,
                                   cwd=ROOT)
        if code != 0:
            with open(log) as f:
                tail = ''.join(f.readlines()[-_TAIL:])
            raise RunFailed(f'{" ".join(cmd)} exited with code {code}; see '
                            f'{log}. It ends:\n{tail}')
        return time.perf_counter() - start

    def pretrain(self, name: str, seed: int, stage: str = 'pretrain') -> str:
        """Train a method's config once; returns its last checkpoint."""
        method = self.spec.methods[name]
        work = osp.join(self.work_dir, name, f'seed{seed}', stage)
        last = osp.join(work, 'last_checkpoint')
        timing = osp.join(work, 'wall_seconds.json')
        if not (osp.exists(last) and osp.exists(timing)):
            cmd = ['tools/train.py', method.pretrain, '--work-dir', work,
                   '--seed', str(seed)]
            # one --cfg-options flag (a second would replace the first);
            # the method's own options last, so they win on a shared key
            options = fill(self.cfg_options + list(method.get('options', [])),
                           seed=seed)
            if options:
                cmd += ['--cfg-options'] + options
            seconds = self._run(cmd, osp.join(work, RUN_LOG))
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
            opts = fill(options, stream=stream, seed=seed)
            if checkpoint is not None:
                opts.append(f'model.pretrained={checkpoint}')
            if opts:
                cmd += ['--cfg-options'] + opts
            self._run(cmd, osp.join(work, RUN_LOG))
            with open(osp.join(work, 'last_checkpoint')) as f:
                trained = f.read().strip()
            test = ['tools/test.py', config, trained, '--work-dir',
                    osp.join(work, 'test'), '--dump', dump]
            if options:  # the model's shape, as it was trained
                test += ['--cfg-options'] + fill(options, stream=stream,
                                                 seed=seed)
            self._run(test, osp.join(work, 'test.log'))

    def raw_knn(self) -> None:
        raw = self.spec.raw
        out = osp.join(self.work_dir, 'raw', 'knn_percent.json')
        if osp.exists(out):
            return
        cmd = ['tools/analysis_tools/knn_raw_coordinates.py', raw.knn,
               '--streams', *raw.streams, '--json', out]
        self._run(cmd, osp.join(self.work_dir, 'raw', 'knn.log'))

    def jobs(self, seeds: List[int], only: Optional[List[str]] = None,
             knn_table: bool = False) -> List[Callable[[], None]]:
        """Long jobs first, so two workers stay busy to the end."""
        long, short = [], []
        for name, method in self.spec.methods.items():
            if only is not None and name not in only:
                continue
            for seed in seeds:
                def chain(name=name, method=method, seed=seed):
                    ckpt = self.pretrain(name, seed)
                    if not knn_table:
                        self.linear(name, seed, method.linear, method.streams,
                                    ckpt, method.get('linear_options'))
                long.append(chain)
                if method.get('random_init') and not knn_table:
                    short.append(lambda name=name, method=method, seed=seed:
                                 self.linear(f'{name}-random', seed,
                                             method.linear, method.streams,
                                             None,
                                             method.get('linear_options')))
        raw = self.spec.get('raw')
        if raw and not knn_table and (only is None or 'raw' in only):
            short.append(self.raw_knn)
            for seed in seeds:
                short.append(lambda seed=seed: self.linear(
                    'raw', seed, raw.linear, raw.streams, None,
                    raw.get('linear_options')))
        return long + short

    # -- collecting ------------------------------------------------------

    def linear_accuracy(self, row: str, seed: int,
                        streams: List[str]) -> Dict[str, float]:
        # torch and MMAction2 only when there are scores to fuse
        from cmd_plugin.analysis.score_fusion import fusion_report
        paths = [osp.join(self.work_dir, row, f'seed{seed}',
                          f'scores{self.probe}',
                          f'{s}.pkl') for s in streams]
        out = {}
        for r in fusion_report(paths):
            key = 'fused' if r['name'] == 'fusion' else r['name']
            out[key] = 100 * r['Top 1 Accuracy']
        return out

    def collect(self, seeds: List[int], knn_table: bool = False) -> List[Dict]:
        """One dict per table row: label, per-seed 1-NN and linear; a
        method whose runs are missing is left out (named on stderr)."""
        rows = []
        parts = [] if knn_table else [('raw', self._collect_raw)]
        parts += [(name, lambda seeds, name=name: self._collect_method(
            name, seeds, knn_table)) for name in self.spec.methods]
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
        with open(osp.join(self.work_dir, 'raw', 'knn_percent.json')) as f:
            knn = json.load(f)
        return [dict(label='raw coordinates', knn=[knn],
                     linear=[self.linear_accuracy('raw', s, raw.streams)
                             for s in seeds])]

    def _collect_method(self, name: str, seeds: List[int],
                        knn_table: bool = False) -> List[Dict]:
        method = self.spec.methods[name]
        first, last, walls, contrast, lowest = [], [], [], [], []
        for seed in seeds:
            pre = osp.join(self.work_dir, name, f'seed{seed}', 'pretrain')
            scalars = newest_scalars(pre)
            records = read_records(scalars)  # read once: kNN and losses
            knn = knn_only(records, scalars)
            first.append(knn_percent(knn[0]))
            last.append(knn_percent(knn[-1]))
            contrast.append(contrast_loss(last_losses(records)))
            lowest.append(lowest_contrast_loss(records))
            timing = osp.join(pre, 'wall_seconds.json')
            if osp.exists(timing):
                with open(timing) as f:
                    walls.append(json.load(f)['seconds'])
        rows = []
        if method.get('random_init') or knn_table:
            rows.append(dict(
                label=method.get('random_init', 'random init (epoch 0)'),
                knn=first,
                linear=[] if knn_table else [
                    self.linear_accuracy(f'{name}-random', s, method.streams)
                    for s in seeds]))
        rows.append(dict(
            label=method.get('label', name), knn=last,
            linear=[] if knn_table else [
                self.linear_accuracy(name, s, method.streams) for s in seeds],
            pretrain_minutes=statistics.median(walls) / 60 if walls else None,
            infonce=contrast, infonce_min=lowest))
        return rows


def _cell(values: List[Dict[str, float]], column: str) -> str:
    found = [v[column] for v in values if column in v]
    if not found:
        return '–'
    mean, sd = mean_sd(found)
    return f'{mean:.1f}' if sd is None else f'{mean:.1f} ± {sd:.1f}'


def format_table(rows: List[Dict], seeds: List[int]) -> str:
    """Every protocol: 1-NN and linear per stream and fused, per row."""
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


def format_knn_table(rows: List[Dict], seeds: List[int]) -> str:
    """1-NN only: the first method's epoch 0 (every method of one seed
    starts from the same initialisation), then each method's last."""
    rows = rows[:1] + [r for r in rows[1:]
                       if r['label'] != rows[0]['label']]
    streams = [s for s in rows[0]['knn'][0]]
    lines = [f'\n{len(seeds)} seeds {seeds}, 1-NN accuracy (%) mean ± sd\n',
             '| | ' + ' | '.join(streams) + ' |',
             '|---' * (len(streams) + 1) + '|']
    for row in rows:
        cells = []
        for stream in streams:
            mean, sd = mean_sd([v[stream] for v in row['knn']])
            cells.append(f'{mean:.1f} ± {sd or 0.0:.1f}')
        lines.append(f'| {row["label"]} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def format_metric_table(rows: List[tuple], metric: str, scale: float = 1.0,
                        digits: int = 4) -> str:
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


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog='\n'.join(__doc__.splitlines()[1:]))
    parser.add_argument('target', help='a study file, or a config with '
                        '--variant / --knn-only / --metric')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--work-dir', required=True)
    parser.add_argument('--variant', action='append', default=[],
                        help='NAME=K=V,K=V: TARGET (a config) with these '
                        'cfg-options; NAME= for none')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='K=V for every training run ({seed} filled)')
    parser.add_argument('--knn-only', action='store_true',
                        help='pretrain and tabulate 1-NN only')
    parser.add_argument('--metric', default=None,
                        help='train TARGET and report the last validation '
                        'value of this metric per seed')
    parser.add_argument('--scale', type=float, default=1.0,
                        help='with --metric: multiply the values, e.g. 100')
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
    parser.add_argument('--report-only', '--no-train', action='store_true',
                        help='print the table of what has run')
    args = parser.parse_args(argv)
    if bool(args.probe) != bool(args.probe_options):
        parser.error('--probe and --probe-options go together')
    if len(set(args.seeds)) != len(args.seeds):
        parser.error(f'--seeds {args.seeds} repeats a seed')
    if args.knn_only and args.metric:
        parser.error('--knn-only and --metric are two different tables; '
                     'pick one')
    return args


def load_spec(args: argparse.Namespace) -> Config:
    """The study: the file's, or one made of a config and its variants."""
    # only the file's keys are needed: no custom_imports (torch, MMAction2);
    # an ``mmaction::`` base still imports mmaction, whose setuptools
    # notice would be the only thing the table's reader sees on stderr
    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', 'pkg_resources is deprecated')
        spec = Config.fromfile(args.target, import_custom_modules=False)
    if 'methods' in spec:
        if args.variant:
            raise ValueError(
                f'{args.target} is a study file: its methods are named '
                'there; --variant builds methods from one config')
        if args.metric:
            raise ValueError('--metric reads runs of one config; pass the '
                             'config, not the study file')
        return spec
    if not (args.knn_only or args.metric):
        raise ValueError(
            f'{args.target} is a config: it names no linear protocol. Pass '
            '--knn-only (1-NN table) or --metric NAME, or a study file '
            '(see tools/analysis_tools/studies/)')
    return Config(dict(methods=methods_from_config(args.target,
                                                   args.variant)))


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        spec = load_spec(args)
    except ValueError as err:
        print(f'study: {err}', file=sys.stderr)
        return 2
    study = Study(spec, args.work_dir, args.threads, args.probe,
                  args.probe_options, args.cfg_options)
    try:
        if args.metric:
            return _metric_study(study, args)
        if not args.report_only:
            jobs = study.jobs(args.seeds, args.only, args.knn_only)
            with ThreadPoolExecutor(args.jobs) as pool:
                for future in [pool.submit(job) for job in jobs]:
                    future.result()
    except RunFailed as err:
        print(f'study: {err}', file=sys.stderr)
        return 1
    rows = study.collect(args.seeds, args.knn_only)
    if args.knn_only:
        print(format_knn_table(rows, args.seeds))
        return 0
    with open(osp.join(args.work_dir, f'results{study.probe}.json'),
              'w') as f:
        json.dump(rows, f, indent=1)
    print(format_table(rows, args.seeds))
    return 0


def _metric_study(study: Study, args: argparse.Namespace) -> int:
    tables = []
    for name in study.spec.methods:
        rows = []
        for seed in args.seeds:
            work = osp.join(args.work_dir, name, f'seed{seed}', 'train')
            if not args.report_only:
                print(f'{name} seed {seed}: training into {work}',
                      flush=True)
                study.pretrain(name, seed, stage='train')
            value, step, _ = read_last_value(
                work, args.metric, osp.join(work, RUN_LOG))
            rows.append((seed, value, step))
        table = format_metric_table(rows, args.metric, args.scale)
        tables.append(table if len(study.spec.methods) == 1
                      else f'{name}\n{table}')
    print('\n\n'.join(tables))
    return 0


if __name__ == '__main__':
    sys.exit(main())
