"""What a Kinetics-400-sized 2-D skeleton pickle costs to hold and to feed.

Writes synthetic pickles shaped like MMAction2's / pyskl's ``k400_2d.pkl``
(HRNet COCO-17: ``keypoint`` (M, T, 17, 2) float16 pixels,
``keypoint_score`` (M, T, 17) float16, ``img_shape``; a ``train`` split of
``--clips`` clips and a ``val`` split of ``--val-ratio`` times as many, as
Kinetics' ~20k / ~240k) at one or more sizes, and measures for each, every
measurement in a fresh subprocess so that its peak RSS is its own:

* the file size (bytes per clip);
* ``pickle.load`` of the whole file (wall time, peak RSS);
* a "rank": building ``SkeletonDataset`` (train split, MMEngine's
  ``serialize_data=True``: the annotation list packed into one numpy byte
  buffer), its build time, peak and resident RSS, then the kNN monitor's
  ``KNNEvalDataset`` (train split as reference, val as query; protocol
  ``pretrain_knn.py``) on top, then ``--workers`` forked DataLoader workers
  that each read their share of every record (as an epoch does) and run
  ``--worker-samples`` clips through the pipeline; per worker ``Rss``,
  ``Pss`` (its fair share of pages it shares) and USS (``Private_Clean +
  Private_Dirty`` of ``/proc/PID/smaps_rollup``: what the worker adds);
* on the smallest size, the pretraining pipeline on one core
  (``torch.set_num_threads(1)``, no DataLoader): clips/s by wall and by CPU
  time, and the time of each step (record unpickle + each transform).

Sizes are medians over ``--repeats`` subprocesses; quantities are then fit
linearly in the clip count over the sizes and extrapolated to ``--target``
clips (default 240,000) -- an extrapolation, not a measurement, and
printed as one. With one size the line runs from the value with no data
(0 for sizes and times, the RSS after the imports for a rank's memory);
the workers' memory then needs two sizes.

The pipeline (``--pipeline``, repeatable) is by default the 3-D CMD
pretraining pipeline of ``configs/_base_/protocols/pretrain_knn.py``
(``train_pipeline`` / ``val_pipeline``) with its head ``PreNormalizeSkeleton``
written out as the two steps it takes for 2-D data, ``PreNormalizeImage2D``
+ ``AppendKeypointScore``, so each is timed (``protocol``);
``FILE:VARIABLE`` takes a train pipeline from a config file the same way,
e.g. ``configs/_base_/pipelines/cmd_cpu_pretrain.py:cmd_cpu_train_pipeline``.

Examples::

    # three sizes, extrapolated to Kinetics-400's 240k training clips
    python tools/benchmarks/benchmark_data_scale.py \\
        --clips 5000 10000 20000 --workers 2 --out data_scale.json
    # and the CPU recipe's views as well
    CPU=configs/_base_/pipelines/cmd_cpu_pretrain.py:cmd_cpu_train_pipeline
    python tools/benchmarks/benchmark_data_scale.py --clips 5000 \\
        --pipeline protocol --pipeline $CPU
    # how much of a rank's RSS is freed heap that glibc keeps
    python tools/benchmarks/benchmark_data_scale.py --clips 10000 20000 \\
        --repeats 2 --malloc-trim
    # a dry run (seconds)
    python tools/benchmarks/benchmark_data_scale.py --clips 50 --frames 20 \\
        --workers 1 --repeats 1 --samples 20 --worker-samples 8

The synthetic arrays are a few filmed motions of
``cmd_plugin.converters.synthetic`` moved around the frame (a random walk
when that module offers no 2-D sample): contents do not change pickle
sizes or pipeline speed. The page cache is warm (the file was just
written), so load times are the unpickling CPU cost; a cold read adds
size / disk bandwidth.
"""
import argparse
import json
import os
import os.path as osp
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional

import numpy as np

PROTOCOL = 'configs/_base_/protocols/pretrain_knn.py'
ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
HEAD = 'PreNormalizeSkeleton'  # its 2-D steps are timed one by one
HEAD_2D = [dict(type='PreNormalizeImage2D'), dict(type='AppendKeypointScore')]
NUM_JOINTS = 17  # COCO-17, HRNet's keypoints in the Kinetics pickles
IMG_SHAPE = (1080, 1920)
MIB = 2**20


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--clips', type=int, nargs='+',
                        default=[5000, 10000, 20000],
                        help='training clips per pickle, one size each')
    parser.add_argument('--val-ratio', type=float, default=0.083,
                        help='val clips per training clip (Kinetics-400: '
                        '~20k / ~240k)')
    parser.add_argument('--frames', type=int, default=300,
                        help='T of every clip (Kinetics: 10 s at 30 fps)')
    parser.add_argument('--persons', type=int, default=2,
                        help='M stored per clip')
    parser.add_argument('--clip-len', type=int, default=64,
                        help="the dataset's clip_len (NTU CMD configs: 64)")
    parser.add_argument('--min-crop-length', type=int, default=64,
                        help="the dataset's min_crop_length")
    parser.add_argument('--num-person', type=int, default=2,
                        help="the dataset's num_person (FormatGCNInput)")
    parser.add_argument('--pipeline', action='append', default=None,
                        help="'protocol' (pretrain_knn.py with the 2-D "
                        "head) or FILE:VARIABLE; repeatable; the first "
                        'is used for the rank measurement')
    parser.add_argument('--workers', type=int, default=2,
                        help='DataLoader workers forked per rank; 0: none')
    parser.add_argument('--worker-samples', type=int, default=64,
                        help='clips each worker runs through the pipeline')
    parser.add_argument('--batch-size', type=int, default=8,
                        help='per-GPU batch of the workers (CMD: 8 x 8)')
    parser.add_argument('--malloc-trim', action='store_true',
                        help="call glibc's malloc_trim(0) after each "
                        'dataset build (not what a run does): how much of '
                        "a rank's RSS is freed heap kept by malloc")
    parser.add_argument('--no-knn', action='store_true',
                        help="skip the kNN monitor's datasets in a rank")
    parser.add_argument('--samples', type=int, default=300,
                        help='clips timed per throughput measurement')
    parser.add_argument('--repeats', type=int, default=3,
                        help='subprocesses per measurement; medians')
    parser.add_argument('--target', type=int, default=240000,
                        help='training clips to extrapolate to')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--format', choices=('pickle', 'store'),
                        default='pickle',
                        help='one whole pickle (MMAction2\'s), or a keypoint '
                        'store: table of contents + memory-mapped .npy')
    parser.add_argument('--work-dir', default=None,
                        help='where the pickles go (default: a temporary '
                        'folder, removed at the end)')
    parser.add_argument('--out', default=None, help='write JSON results')
    parser.add_argument('--worker', default=None, help=argparse.SUPPRESS)
    parser.add_argument('--path', default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for key in ('frames', 'persons', 'clip_len', 'min_crop_length',
                'num_person', 'samples', 'repeats', 'target',
                'batch_size', 'worker_samples'):
        if getattr(args, key) < 1:
            parser.error(f'--{key.replace("_", "-")} must be >= 1')
    if min(args.clips) < 1:
        parser.error('--clips must be >= 1')
    if args.workers < 0 or not 0 <= args.val_ratio < 1:
        parser.error('--workers must be >= 0 and --val-ratio in [0, 1)')
    args.clips = sorted(set(args.clips))
    args.pipeline = args.pipeline or ['protocol']
    return args


# --- memory of a process ------------------------------------------------

def proc_status(pid='self') -> Dict[str, float]:
    """VmRSS and VmHWM (peak RSS) of ``pid`` in MiB."""
    out = {}
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            key, _, value = line.partition(':')
            if key in ('VmRSS', 'VmHWM'):
                out[key] = int(value.split()[0]) / 1024
    return out


def smaps(pid='self') -> Optional[Dict[str, float]]:
    """Rss, Pss, Pss of anonymous pages (the heap and the data buffer: not
    the libraries, whose Pss depends on how many other processes of the
    machine map them), USS (private pages) and shared pages of ``pid`` in
    MiB, from ``/proc/PID/smaps_rollup``; None where it cannot be read."""
    try:
        with open(f'/proc/{pid}/smaps_rollup') as f:
            text = f.read()
    except OSError:
        return None
    kb = {}
    for line in text.splitlines()[1:]:
        key, _, value = line.partition(':')
        parts = value.split()
        if parts and parts[-1] == 'kB':
            kb[key] = int(parts[0])
    return dict(rss=kb.get('Rss', 0) / 1024, pss=kb.get('Pss', 0) / 1024,
                pss_anon=kb.get('Pss_Anon', 0) / 1024,
                uss=(kb.get('Private_Clean', 0) +
                     kb.get('Private_Dirty', 0)) / 1024,
                shared=(kb.get('Shared_Clean', 0) +
                        kb.get('Shared_Dirty', 0)) / 1024)


# --- the synthetic pickle -----------------------------------------------

def clip_templates(frames: int, persons: int, seed: int, count: int = 8):
    """``count`` (keypoint (M, T, 17, 2), score (M, T, 17)) float32 pairs:
    filmed synthetic motions where the converter offers them, else random
    walks in the frame."""
    rng = np.random.default_rng(seed)
    out = []
    try:
        from cmd_plugin.converters.synthetic import synthesize_sample_2d
        for label in range(count):
            keypoint, score = synthesize_sample_2d(
                label % 8, rng, min_frames=frames, max_frames=frames,
                second_person_prob=1.0)
            if keypoint.shape[2] != NUM_JOINTS:
                raise ValueError('not COCO-17')
            out.append((_persons(keypoint, persons),
                        _persons(score, persons)))
        source = 'cmd_plugin.converters.synthetic.synthesize_sample_2d'
    except (ImportError, TypeError, ValueError):
        out = []
        for _ in range(count):
            start = rng.uniform(200, 800, (persons, 1, NUM_JOINTS, 2))
            steps = rng.normal(0, 2, (persons, frames, NUM_JOINTS, 2))
            out.append((start + steps.cumsum(1),
                        rng.uniform(0.3, 1, (persons, frames, NUM_JOINTS))))
        source = 'random walk'
    return out, source


def _persons(array: np.ndarray, persons: int) -> np.ndarray:
    """``array`` with M = ``persons`` (more persons: copies, moved)."""
    while array.shape[0] < persons:
        array = np.concatenate([array, array + 0.5 * (array != 0)])
    return np.ascontiguousarray(array[:persons], dtype=np.float32)


def data_files(path: str) -> List[str]:
    """The pickle, and a keypoint store's array beside it."""
    from cmd_plugin.datasets.keypoint_store import store_array_path
    npy = store_array_path(path)
    return [path] + ([npy] if npy else [])


def write_pickle(path: str, train: int, val: int, frames: int,
                 persons: int, seed: int, store: bool = False) -> Dict:
    """Write the Kinetics-shaped pickle (a keypoint store: its table of
    contents at ``path``); returns what was written."""
    templates, source = clip_templates(frames, persons, seed)
    rng = np.random.default_rng(seed + 1)
    shifts = rng.normal(0, 40, (train + val, 2)).astype(np.float32)
    annotations, names = [], dict(train=[], val=[])
    for i in range(train + val):
        keypoint, score = templates[i % len(templates)]
        name = f'k400_{i:07d}'
        annotations.append(dict(
            frame_dir=name, label=i % 400, total_frames=frames,
            img_shape=IMG_SHAPE, original_shape=IMG_SHAPE,
            keypoint=((keypoint + shifts[i]) * (keypoint != 0)).astype(
                np.float16),
            keypoint_score=score.astype(np.float16)))
        names['train' if i < train else 'val'].append(name)
    array_bytes = int(annotations[0]['keypoint'].nbytes
                      + annotations[0]['keypoint_score'].nbytes)
    data = dict(split=names, annotations=annotations, layout='coco',
                num_classes=400)
    whole = path + '.whole.pkl' if store else path
    start = time.perf_counter()
    with open(whole, 'wb') as f:
        pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
    if store:  # the table of contents at path, the array beside it
        from cmd_plugin.converters import run_conversion
        from cmd_plugin.converters.pickle_source import PickleCopyConverter
        del data, annotations
        run_conversion(PickleCopyConverter(whole), path,
                       keypoint_store=True)
        os.remove(whole)
    dump_s = time.perf_counter() - start
    # what a dataset keeps after its first launch: later launches (and
    # every rank) read the layout from it instead of unpickling twice
    from cmd_plugin.datasets.data_record import read_record
    read_record(path)
    return dict(file_bytes=sum(map(osp.getsize, data_files(path))),
                dump_s=dump_s,
                array_bytes_per_clip=array_bytes,
                template_source=source)


# --- pipelines and datasets ---------------------------------------------

def with_2d_head(pipeline: List[dict]) -> List[dict]:
    """``pipeline`` with ``PreNormalizeSkeleton`` written out as its 2-D
    steps."""
    out = []
    for step in pipeline:
        if isinstance(step, dict) and step.get('type') == HEAD:
            out.extend(dict(s) for s in HEAD_2D)
        else:
            out.append(step)
    if not any(s.get('type') == HEAD_2D[0]['type'] for s in out
               if isinstance(s, dict)):
        raise ValueError(f'the pipeline has no {HEAD} to replace: '
                         f'{[s.get("type") for s in pipeline]}')
    return out


def load_pipelines(spec: str):
    """(train, val) pipelines of ``spec`` (val: None for FILE:VARIABLE)."""
    from mmengine.config import Config
    if spec == 'protocol':
        cfg = Config.fromfile(osp.join(ROOT, PROTOCOL))
        return (with_2d_head(cfg.to_dict()['train_pipeline']),
                with_2d_head(cfg.to_dict()['val_pipeline']))
    path, sep, name = spec.rpartition(':')
    if not sep:
        raise ValueError(f"--pipeline {spec!r}: 'protocol' or FILE:VARIABLE")
    cfg = Config.fromfile(path if osp.isabs(path) else osp.join(ROOT, path))
    if name not in cfg:
        raise ValueError(f'{path} has no {name!r}')
    return cfg.to_dict()[name], None


def dataset_settings(args) -> Dict:
    return dict(num_person=args.num_person, clip_len=args.clip_len,
                min_crop_length=args.min_crop_length)


def _register():
    import cmd_plugin  # noqa: F401  (registers the plugin's modules)
    from mmaction.utils import register_all_modules
    register_all_modules()


def build_train(path: str, args, pipeline: List[dict]):
    from mmaction.registry import DATASETS
    return DATASETS.build(dict(
        type='SkeletonDataset', ann_file=path, split='train',
        pipeline=pipeline, serialize_data=True, **dataset_settings(args)))


# --- worker subprocesses ------------------------------------------------

def run_unpickle(path: str) -> Dict:
    before = proc_status()['VmRSS']
    start = time.perf_counter()
    with open(path, 'rb') as f:
        data = pickle.load(f)
    load_s = time.perf_counter() - start
    status = proc_status()
    clips = len(data['annotations'])
    return dict(load_s=load_s, clips=clips, rss_before_mib=before,
                rss_after_mib=status['VmRSS'], peak_rss_mib=status['VmHWM'])


def _touch_share(worker_id: int) -> None:
    """worker_init_fn: read this worker's share of every record, as the
    workers of one epoch do between them."""
    import torch
    info = torch.utils.data.get_worker_info()
    dataset = info.dataset
    for i in range(worker_id, len(dataset), info.num_workers):
        dataset.get_data_info(i)


def malloc_trim() -> bool:
    """Hand the heap's free pages back to the system (glibc only)."""
    import ctypes
    try:
        return bool(ctypes.CDLL('libc.so.6').malloc_trim(0))
    except (OSError, AttributeError):
        return False


def run_rank(path: str, args) -> Dict:
    import torch
    _register()
    torch.set_num_threads(1)
    train_pipeline, val_pipeline = load_pipelines(args.pipeline[0])
    record = dict(rss_imports_mib=proc_status()['VmRSS'])
    start = time.perf_counter()
    dataset = build_train(path, args, train_pipeline)
    record['build_s'] = time.perf_counter() - start
    status = proc_status()
    record.update(
        clips=len(dataset), buffer_mib=dataset.data_bytes.nbytes / MIB,
        rss_after_build_mib=status['VmRSS'],
        peak_rss_build_mib=status['VmHWM'])
    if args.malloc_trim and malloc_trim():
        record['rss_after_build_trim_mib'] = proc_status()['VmRSS']
    if not args.no_knn and val_pipeline is not None:
        from mmaction.registry import DATASETS
        start = time.perf_counter()
        knn = DATASETS.build(dict(
            type='KNNEvalDataset', reference_split='train',
            query_split='val', max_reference=10000, ann_file=path,
            pipeline=val_pipeline, **dataset_settings(args)))
        knn.full_init()
        len(knn)  # picks the subsets
        status = proc_status()
        record.update(
            knn_build_s=time.perf_counter() - start,
            knn_buffer_mib=sum(ds.data_bytes.nbytes for ds in
                               (knn.reference, knn.query)) / MIB,
            rss_after_knn_mib=status['VmRSS'],
            peak_rss_knn_mib=status['VmHWM'])
        if args.malloc_trim and malloc_trim():
            record['rss_after_knn_trim_mib'] = proc_status()['VmRSS']
    record['parent_smaps_before_fork'] = smaps()
    if args.workers:
        record.update(_fork_workers(dataset, args))
    record['peak_rss_mib'] = proc_status()['VmHWM']
    return record


def _fork_workers(dataset, args) -> Dict:
    import multiprocessing

    import torch
    from mmengine.dataset import pseudo_collate
    rng = np.random.default_rng(args.seed)
    count = min(len(dataset), args.workers * args.worker_samples)
    indices = rng.choice(len(dataset), count, replace=False).tolist()
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=args.batch_size, sampler=indices,
        num_workers=args.workers, persistent_workers=True,
        collate_fn=pseudo_collate, worker_init_fn=_touch_share)
    start = time.perf_counter()
    seen = sum(len(batch['inputs']) for batch in loader)
    elapsed = time.perf_counter() - start
    # the workers persist, idle, after the epoch: read them now
    pids = [w.pid for w in loader._iterator._workers]
    workers = [smaps(pid) for pid in pids]
    parent = smaps()
    del loader
    if any(w is None for w in workers) or parent is None:
        return dict(worker_smaps=None)
    total = parent['pss'] + sum(w['pss'] for w in workers)
    anon = parent['pss_anon'] + sum(w['pss_anon'] for w in workers)
    return dict(worker_smaps=workers, parent_smaps=parent,
                rank_total_pss_mib=total, rank_total_pss_anon_mib=anon,
                worker_epoch_s=elapsed, worker_clips=seen,
                start_method=multiprocessing.get_start_method())


def run_throughput(path: str, args, spec: str) -> Dict:
    import torch
    _register()
    torch.set_num_threads(1)
    from cmd_plugin.datasets.transforms.rng import seed_pipeline_rng
    seed_pipeline_rng(args.seed)
    dataset = build_train(path, args, load_pipelines(spec)[0])
    steps = list(dataset.pipeline.transforms)
    names = ['record'] + [type(t).__name__ for t in steps]
    rng = np.random.default_rng(args.seed)
    order = rng.integers(0, len(dataset), args.samples + 10).tolist()
    times = np.zeros(len(names))
    shape = None
    for n, idx in enumerate(order):
        if n == 10:  # after the warm-up
            times[:] = 0
            wall, cpu = time.perf_counter(), time.process_time()
        mark = time.perf_counter()
        results = dataset.get_sample(idx)
        stamps = [time.perf_counter()]
        for step in steps:
            results = step(results)
            stamps.append(time.perf_counter())
        times += np.diff([mark] + stamps)
        shape = tuple(results['inputs'].shape)
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    return dict(pipeline=spec, samples=args.samples, wall_s=wall,
                cpu_s=cpu, clips_per_s=args.samples / wall,
                clips_per_cpu_s=args.samples / cpu, input_shape=shape,
                step_ms={k: 1000 * v / args.samples
                         for k, v in zip(names, times)},
                threads=torch.get_num_threads(),
                loadavg_1min=os.getloadavg()[0])


def run_worker(args) -> Dict:
    mode, _, extra = args.worker.partition(':')
    if mode == 'write':
        clips, val = (int(v) for v in extra.split(','))
        return write_pickle(args.path, clips, val, args.frames,
                            args.persons, args.seed,
                            args.format == 'store')
    if mode == 'unpickle':
        return run_unpickle(args.path)
    if mode == 'rank':
        return run_rank(args.path, args)
    if mode == 'throughput':
        return run_throughput(args.path, args, args.pipeline[int(extra)])
    raise ValueError(f'unknown worker {args.worker!r}')


# --- the driver -----------------------------------------------------------

def _spawn(argv: List[str], worker: str, path: str, env: Dict) -> Dict:
    proc = subprocess.run(
        [sys.executable, osp.abspath(__file__), *argv, '--worker', worker,
         '--path', path], capture_output=True, text=True, env=env)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith('RESULT ')]
    if proc.returncode != 0 or not lines:
        sys.stderr.write(proc.stdout[-6000:] + proc.stderr[-6000:])
        raise RuntimeError(f'benchmark worker {worker!r} failed (output '
                           'above)')
    return json.loads(lines[-1][len('RESULT '):])


def _median(values) -> Optional[float]:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _rank_row(records: List[Dict]) -> Dict:
    """Medians of the rank measurements of one size."""
    keys = ('build_s', 'buffer_mib', 'rss_imports_mib',
            'rss_after_build_mib', 'peak_rss_build_mib', 'knn_build_s',
            'knn_buffer_mib', 'rss_after_knn_mib', 'peak_rss_knn_mib',
            'rank_total_pss_mib', 'rank_total_pss_anon_mib', 'peak_rss_mib',
            'worker_epoch_s', 'rss_after_build_trim_mib',
            'rss_after_knn_trim_mib')
    row = {k: _median([r.get(k) for r in records]) for k in keys}
    for key in ('rss', 'pss', 'pss_anon', 'uss', 'shared'):
        row[f'worker_{key}_mib'] = _median(
            [w[key] for r in records for w in (r.get('worker_smaps') or [])])
        row[f'parent_{key}_mib'] = _median(
            [(r.get('parent_smaps') or {}).get(key) for r in records])
    return row


def fit(sizes: List[int], values: List[Optional[float]], target: int,
        base: Optional[float] = None) -> Optional[Dict]:
    """Least-squares line in the clip count over the sizes; with one size,
    the line from ``base`` (the value with no data: 0 for sizes and times,
    the RSS after the imports for memory; None: no extrapolation)."""
    pairs = [(s, v) for s, v in zip(sizes, values) if v is not None]
    if not pairs:
        return None
    x = np.array([p[0] for p in pairs], float)
    y = np.array([p[1] for p in pairs], float)
    if len(pairs) > 1:
        slope, intercept = np.polyfit(x, y, 1)
    elif base is not None:
        slope, intercept = (y[0] - base) / x[0], base
    else:
        return None
    return dict(per_1k_clips=1000 * slope, at_0=intercept,
                at_target=intercept + slope * target)


# (key, label, unit, value at no data for a one-size fit: a number, the
# key of a measured baseline, or None: needs two sizes)
QUANTITIES = (
    ('file_mib', 'pickle size', 'MiB', 0.0),
    ('load_s', 'pickle.load of the file', 's', 0.0),
    ('load_peak_mib', 'peak RSS of pickle.load', 'MiB',
     'load_rss_before_mib'),
    ('build_s', 'SkeletonDataset build (train split)', 's', 0.0),
    ('peak_rss_build_mib', 'rank peak RSS, train dataset', 'MiB',
     'rss_imports_mib'),
    ('rss_after_build_mib', 'rank RSS after building it', 'MiB',
     'rss_imports_mib'),
    ('rss_after_build_trim_mib', 'rank RSS after it, malloc_trim(0)',
     'MiB', 'rss_imports_mib'),
    ('buffer_mib', 'serialized train buffer', 'MiB', 0.0),
    ('knn_build_s', 'kNN monitor datasets build', 's', 0.0),
    ('knn_buffer_mib', 'kNN monitor buffers (reference + query)', 'MiB',
     0.0),
    ('rss_after_knn_mib', 'rank RSS, train + kNN datasets', 'MiB',
     'rss_imports_mib'),
    ('peak_rss_knn_mib', 'rank peak RSS, train + kNN datasets', 'MiB',
     'rss_imports_mib'),
    ('rss_after_knn_trim_mib', 'rank RSS, train + kNN, malloc_trim(0)',
     'MiB', 'rss_imports_mib'),
    ('worker_rss_mib', 'worker Rss', 'MiB', None),
    ('worker_pss_mib', 'worker Pss', 'MiB', None),
    ('worker_pss_anon_mib', 'worker Pss, anonymous pages', 'MiB', None),
    ('worker_uss_mib', 'worker USS (private: what it adds)', 'MiB', None),
    ('parent_pss_mib', 'rank process Pss, workers forked', 'MiB', None),
    ('parent_pss_anon_mib', 'rank process Pss_Anon, workers forked', 'MiB',
     None),
    ('rank_total_pss_mib', 'rank + its workers, total Pss', 'MiB', None),
    ('rank_total_pss_anon_mib', 'rank + its workers, total Pss_Anon', 'MiB',
     None),
)


def summarise(args, sizes: Dict[int, Dict], throughput: List[Dict]) -> Dict:
    rows = {}
    for clips, m in sizes.items():
        total = clips + m['val_clips']
        row = dict(train_clips=clips, total_clips=total,
                   file_mib=m['write']['file_bytes'] / MIB,
                   bytes_per_clip=m['write']['file_bytes'] / total,
                   array_bytes_per_clip=m['write']['array_bytes_per_clip'],
                   load_s=_median([r['load_s'] for r in m['unpickle']]),
                   load_peak_mib=_median(
                       [r['peak_rss_mib'] for r in m['unpickle']]),
                   load_rss_before_mib=_median(
                       [r['rss_before_mib'] for r in m['unpickle']]))
        row.update(_rank_row(m['rank']))
        rows[clips] = row
    clips = sorted(rows)
    extrapolated = {}
    for key, _, _, base in QUANTITIES:
        if isinstance(base, str):
            base = _median([rows[c].get(base) for c in clips])
        extrapolated[key] = fit(clips, [rows[c].get(key) for c in clips],
                                args.target, base)
    pipelines = {}
    for spec in args.pipeline:
        rs = [r for r in throughput if r['pipeline'] == spec]
        steps = rs[0]['step_ms']
        pipelines[spec] = dict(
            runs=len(rs), input_shape=rs[0]['input_shape'],
            clips_per_s=_median([r['clips_per_s'] for r in rs]),
            clips_per_cpu_s=_median([r['clips_per_cpu_s'] for r in rs]),
            loadavg_1min=_median([r['loadavg_1min'] for r in rs]),
            step_ms={k: _median([r['step_ms'][k] for r in rs])
                     for k in steps})
    return dict(sizes=rows, extrapolated=extrapolated, throughput=pipelines)


def _fmt(value, digits=3) -> str:
    if value is None:
        return 'n/a'
    return f'{value:.{digits}g}' if abs(value) < 1000 else f'{value:.0f}'


def format_report(args, result: Dict) -> str:
    rows = result['sizes']
    clips = sorted(rows)
    lines = [
        f'Kinetics-shaped 2-D data ({args.format}): M={args.persons} '
        f'T={args.frames} '
        f'V={NUM_JOINTS}, float16 keypoint + keypoint_score, val = '
        f'{args.val_ratio:g} x train; dataset clip_len={args.clip_len} '
        f'min_crop_length={args.min_crop_length} num_person='
        f'{args.num_person}; workers={args.workers}; repeats={args.repeats}'
        ' (medians)', '',
        '| quantity | unit | ' + ' | '.join(f'{c} train clips' for c in
                                            clips)
        + f' | per 1k clips (fit) | at {args.target} (extrapolated) |',
        '|---|---|' + '---|' * len(clips) + '---|---|']
    lines.append('| clips in the file (train + val) | | ' + ' | '.join(
        str(rows[c]['total_clips']) for c in clips) + ' | | |')
    lines.append('| bytes per clip (file / clips) | B | ' + ' | '.join(
        f"{rows[c]['bytes_per_clip']:.0f}" for c in clips)
        + f" | (arrays: {rows[clips[0]]['array_bytes_per_clip']} B) | |")
    for key, label, unit, _ in QUANTITIES:
        values = [rows[c].get(key) for c in clips]
        if all(v is None for v in values):
            continue
        ex = result['extrapolated'].get(key) or {}
        lines.append(
            f'| {label} | {unit} | ' + ' | '.join(_fmt(v) for v in values)
            + f" | {_fmt(ex.get('per_1k_clips'))} | "
            f"{_fmt(ex.get('at_target'))} |")
    lines += ['', '| pipeline (1 core) | runs | packed input | clips/s '
              '(wall) | clips/s per CPU-s | ms per step (median) | load '
              '(1 min) |', '|---|---|---|---|---|---|---|']
    for spec, p in result['throughput'].items():
        steps = ', '.join(f'{k} {v:.2f}' for k, v in p['step_ms'].items())
        lines.append(
            f"| {spec} | {p['runs']} | {tuple(p['input_shape'])} | "
            f"{p['clips_per_s']:.1f} | {p['clips_per_cpu_s']:.1f} | "
            f"{steps} | {p['loadavg_1min']:.1f} |")
    return '\n'.join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if args.worker is not None:
        print('RESULT ' + json.dumps(run_worker(args)), flush=True)
        return 0
    work = args.work_dir or tempfile.mkdtemp(prefix='data_scale_')
    os.makedirs(work, exist_ok=True)
    # a dataset keeps a record of each pickle; not in the user's cache
    env = dict(os.environ, CMD_PLUGIN_CACHE=osp.join(work, 'cache'),
               OMP_NUM_THREADS='1', PYTHONWARNINGS='ignore')
    sizes, throughput = {}, []
    try:
        for clips in args.clips:
            val = int(round(clips * args.val_ratio))
            path = osp.join(work, f'k400_shaped_{clips}.pkl')
            m = dict(val_clips=val, unpickle=[], rank=[])
            m['write'] = _spawn(argv, f'write:{clips},{val}', path, env)
            size = m['write']['file_bytes'] / MIB
            print(f"{clips} + {val} clips: {size:.0f} MiB "
                  f"({m['write']['template_source']})", flush=True)
            for rnd in range(args.repeats):
                r = _spawn(argv, 'unpickle', path, env)
                m['unpickle'].append(r)
                print(f"  round {rnd} pickle.load {r['load_s']:.2f} s, "
                      f"peak {r['peak_rss_mib']:.0f} MiB", flush=True)
                r = _spawn(argv, 'rank', path, env)
                m['rank'].append(r)
                w = r.get('worker_smaps') or []
                print(f"  round {rnd} rank: build {r['build_s']:.2f} s, RSS "
                      f"{r['rss_after_build_mib']:.0f} MiB (peak "
                      f"{r['peak_rss_build_mib']:.0f}), with kNN "
                      f"{r.get('rss_after_knn_mib') or 0:.0f} MiB; workers "
                      'USS/Pss ' + ', '.join(
                          f"{x['uss']:.0f}/{x['pss']:.0f}" for x in w)
                      + ' MiB', flush=True)
            if clips == args.clips[0]:
                for rnd in range(args.repeats):
                    for i, spec in enumerate(args.pipeline):
                        r = _spawn(argv, f'throughput:{i}', path, env)
                        throughput.append(r)
                        print(f"  round {rnd} {spec}: {r['clips_per_s']:.1f}"
                              f" clips/s ({r['clips_per_cpu_s']:.1f} per "
                              f"CPU-s), input {tuple(r['input_shape'])}",
                              flush=True)
            for name in data_files(path):
                os.remove(name)
            sizes[clips] = m
    finally:
        if args.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    result = summarise(args, sizes, throughput)
    print('\n' + format_report(args, result))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(args={k: v for k, v in vars(args).items()
                                 if k not in ('worker', 'path')},
                           raw={str(k): v for k, v in sizes.items()},
                           throughput_raw=throughput, **{
                               k: ({str(c): v for c, v in r.items()}
                                   if k == 'sizes' else r)
                               for k, r in result.items()}),
                      f, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
