"""What reading a pickle's layout at launch costs.

    python tools/benchmarks/benchmark_data_record.py [--clips 10000]

Writes an NTU-shaped pickle (2 x 100 x 25 x 3 float16 per clip) to a
temporary folder and times unpickling it, summarising it into a record,
the first ``read_record`` (unpickle + summary + keep) and a kept record
(median of 5). The numbers are in docs/benchmarks.md.
"""
import argparse
import os
import os.path as osp
import pickle
import statistics
import sys
import tempfile
import time

import numpy as np


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--clips', type=int, default=10000)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix='data_record_')
    os.environ['CMD_PLUGIN_CACHE'] = work  # not the user's cache
    from cmd_plugin.datasets import data_record
    from cmd_plugin.datasets.annotation_file import load_annotation_file

    clip = np.random.default_rng(0).normal(size=(2, 100, 25, 3)).astype(
        np.float16)
    annotations = [dict(frame_dir=f's{i}', label=i % 60,
                        keypoint=clip.copy(), total_frames=100)
                   for i in range(args.clips)]
    path = osp.join(work, 'ntu_shaped.pkl')
    with open(path, 'wb') as f:
        pickle.dump(dict(layout='nturgb+d', annotations=annotations,
                         split=dict(train=[a['frame_dir']
                                           for a in annotations])), f)
    del annotations
    size = osp.getsize(path) / 2**20
    start = time.perf_counter()
    data = load_annotation_file(path)
    unpickle = time.perf_counter() - start
    start = time.perf_counter()
    data_record.summarize(data, path)
    summary = time.perf_counter() - start
    del data
    start = time.perf_counter()
    data_record.read_record(path)
    first = time.perf_counter() - start
    kept = []
    for _ in range(5):
        data_record._MEMO.clear()  # as a new launch: only the kept file
        start = time.perf_counter()
        data_record.read_record(path)
        kept.append(time.perf_counter() - start)
    print(f'{args.clips} clips, {size:.0f} MiB: unpickle {unpickle:.2f} s, '
          f'summary {summary * 1000:.0f} ms, first read_record {first:.2f} '
          f's, kept record {statistics.median(kept) * 1000:.2f} ms')
    os.remove(path)
    return 0


if __name__ == '__main__':
    sys.exit(main())
