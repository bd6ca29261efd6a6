"""Train a config under several seeds; print the metric's mean ± sd.

Each seed trains with this repository's tools/train.py into
WORK_DIR/seed_<s>; the value reported per seed is the metric of the LAST
validation (the final epoch, not the best), the summary its mean ± sample
sd (n - 1). E.g. five label subsets of a semi-supervised run:

    python tools/analysis_tools/multi_seed.py CONFIG --seeds 0 1 2 3 4 \\
        --work-dir work_dirs/semi1 --metric acc/top1 --scale 100 \\
        --seed-options 'train_dataloader.dataset.subset_seed={seed}' \\
        'randomness.seed={seed}'
"""
import argparse
import importlib.util
import os.path as osp
import sys
import time

_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TRAIN = osp.join(_ROOT, 'tools', 'train.py')


def _load_helpers():
    # by path, not ``import cmd_plugin...``: the package import loads torch
    # and MMAction2 (seconds) into a process that only starts other ones
    path = osp.join(_ROOT, 'cmd_plugin', 'utils', 'multi_seed.py')
    spec = importlib.util.spec_from_file_location('_multi_seed', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_helpers = _load_helpers()
RUN_LOG, RunFailed = _helpers.RUN_LOG, _helpers.RunFailed
format_table, read_last_value = _helpers.format_table, _helpers.read_last_value
run_seed, seed_dir = _helpers.run_seed, _helpers.seed_dir
train_command = _helpers.train_command


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog='\n'.join(__doc__.splitlines()[1:]))
    parser.add_argument('config')
    parser.add_argument('--seeds', type=int, nargs='+', required=True)
    parser.add_argument('--work-dir', required=True)
    parser.add_argument('--metric', default='acc/top1')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='KEY=VALUE overrides for every seed')
    parser.add_argument(
        '--seed-options', nargs='+', default=['randomness.seed={seed}'],
        help="KEY=VALUE overrides with {seed} in them (default: "
        "'randomness.seed={seed}')")
    parser.add_argument('--scale', type=float, default=1.0,
                        help='multiply the values, e.g. 100 for percent')
    parser.add_argument('--no-train', action='store_true',
                        help='only summarise the runs already in WORK_DIR')
    args = parser.parse_args(argv)
    if len(set(args.seeds)) != len(args.seeds):
        parser.error(f'--seeds {args.seeds} repeats a seed')
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    rows = []
    try:
        for seed in args.seeds:
            run_dir = seed_dir(args.work_dir, seed)
            if not args.no_train:
                cmd = train_command(TRAIN, args.config, run_dir,
                                    args.cfg_options, args.seed_options,
                                    seed)
                print(f'seed {seed}: training into {run_dir} (console log '
                      f'{osp.join(run_dir, RUN_LOG)})', flush=True)
                start = time.time()
                run_seed(cmd, run_dir, seed)
                print(f'seed {seed}: done in {time.time() - start:.0f} s',
                      flush=True)
            value, step, _ = read_last_value(run_dir, args.metric)
            rows.append((seed, value, step))
    except (RunFailed, ValueError) as exc:
        print(f'multi_seed: {exc}', file=sys.stderr)
        return 1
    print(format_table(rows, args.metric, args.scale))
    return 0


if __name__ == '__main__':
    sys.exit(main())
