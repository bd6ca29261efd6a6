import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from knn_workload import PeakRSS, run_benchmark, synthetic_batches
from .knn_brute_force import brute_force_from_sims

ROOT = Path(__file__).resolve().parents[2]
# an earlier revision's package, as `git worktree add DIR REV` gives; its
# class is visibly not the current one
BASELINE_METRIC = """
class KNNAccuracy:
    def __init__(self, **kwargs):
        self.results = []

    def process(self, data_batch, data_samples):
        self.results.extend(data_samples)

    def compute_metrics(self, results):
        return dict(marker=0.42)
"""


def _baseline_tree(tmp_path):
    metrics = tmp_path / 'tree' / 'cmd_plugin' / 'evaluation' / 'metrics'
    metrics.mkdir(parents=True)
    for folder in (metrics, metrics.parent, metrics.parent.parent):
        (folder / '__init__.py').write_text('')
    (metrics / '__init__.py').write_text(BASELINE_METRIC)
    return str(tmp_path / 'tree')


def _brute_force_metrics(num_reference, num_query, dim, k, streams):
    """Accuracies of the same synthetic batches from the float64 cosine
    matrix, fused as the mean of the streams' similarities."""
    samples = [s for b in synthetic_batches(num_reference, num_query, dim,
                                            streams) for s in b]
    labels = torch.cat([s['gt_label'] for s in samples])
    sims = {}
    for name in streams:
        f = torch.nn.functional.normalize(torch.stack(
            [s['stream_features'][name] for s in samples]).double(), dim=1)
        sims[name] = f[num_reference:] @ f[:num_reference].T
    sims['fused'] = sum(sims.values()) / len(streams)
    truth = labels[num_reference:]
    return {name: (brute_force_from_sims(sim, labels[:num_reference], k)
                   == truth).double().mean().item()
            for name, sim in sims.items()}


def test_synthetic_batches_look_like_the_evaluator_s():
    batches = list(synthetic_batches(5, 3, 4, ['a', 'b'], batch_size=3))
    flat = [s for b in batches for s in b]
    assert [len(b) for b in batches] == [3, 3, 2]
    assert [s['knn_role'] for s in flat] == ['reference'] * 5 + ['query'] * 3
    assert flat[0]['stream_features']['a'].shape == (4, )


def test_run_benchmark_scores_are_the_brute_force_ones():
    streams = ('joint', 'motion', 'bone')
    record = run_benchmark(600, 200, dim=32, streams=streams,
                           options=dict(k=3, feature_dtype='float32'))
    want = _brute_force_metrics(600, 200, 32, 3, streams)
    assert set(record['metrics']) == set(want)
    for name, value in want.items():
        assert record['metrics'][name] == pytest.approx(value), name
    # well above chance (1/120), far from perfect: a wrong search shows
    assert 3 / 120 < want['fused'] < 0.5
    assert record['compute_s'] > 0


def test_peak_rss_sees_a_known_allocation():
    with PeakRSS() as peak:
        block = torch.ones(16 * 2**20)  # 64 MiB, touched
        del block
    assert peak.extra_kib / 1024 >= 56


def test_run_benchmark_memory_counts_the_rows_the_metric_keeps():
    # In a process of its own, as the benchmark tool runs: memory freed by
    # earlier tests of this worker would otherwise be reused unseen.
    # 4,000 samples x 3 streams x 512 float32 = 23.4 MiB of rows.
    code = ('import json; from knn_workload import '
            'run_benchmark; r = run_benchmark(3000, 1000, dim=512, '
            "options=dict(feature_dtype='float32')); "
            "print(json.dumps({k: r[k] for k in ('after_process_mib', "
            "'extra_peak_mib')}))")
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, check=True, cwd=str(ROOT),
                         env=dict(os.environ, PYTHONPATH=os.pathsep.join(
                             [str(ROOT), str(ROOT / 'tools/benchmarks')]),
                                  OMP_NUM_THREADS='1'))
    record = json.loads(out.stdout.strip().splitlines()[-1])
    rows_mib = 4000 * 3 * 512 * 4 / 2**20
    assert 0.8 * rows_mib <= record['after_process_mib'] <= 3 * rows_mib
    assert record['extra_peak_mib'] >= record['after_process_mib']


def test_a_metric_class_is_measured_as_given():
    from cmd_plugin.evaluation.metrics import knn_metric

    class Marked(knn_metric.KNNAccuracy):
        def compute_metrics(self, results):
            self.results.clear()
            return dict(marker=42.0)

    record = run_benchmark(40, 20, dim=8, metric_class=Marked)
    assert record['metrics'] == dict(marker=42.0)


def test_cli_prints_a_table_with_the_baseline_tree_s_class(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / 'tools/benchmarks/benchmark_knn.py'),
         '--reference', '30', '--query', '10', '--dim', '4', '--option',
         'k=2', '--baseline-tree', _baseline_tree(tmp_path)],
        capture_output=True, text=True, check=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT),
                 OMP_NUM_THREADS='1')).stdout
    rows = {line.split('|')[1].strip(): line for line in out.splitlines()
            if line.startswith('| current') or line.startswith('| baseline')}
    assert 'marker 42.00' in rows['baseline']
    assert 'marker' not in rows['current'] and 'joint' in rows['current']
