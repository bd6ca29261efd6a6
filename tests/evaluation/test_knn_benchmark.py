import subprocess
import sys
from pathlib import Path

from cmd_plugin.evaluation.knn_benchmark import (run_benchmark,
                                                 synthetic_batches)

ROOT = Path(__file__).resolve().parents[2]
# a standalone metric file, as `git show REV:...knn_metric.py` gives; its
# registration would clash with the registered KNNAccuracy
STANDALONE = """
from mmaction.registry import METRICS
from cmd_plugin.evaluation.metrics import knn_metric


@METRICS.register_module()
class KNNAccuracy(knn_metric.KNNAccuracy):
    pass
"""


def _standalone(tmp_path):
    path = tmp_path / 'knn_metric_before.py'
    path.write_text(STANDALONE)
    return str(path)


def test_synthetic_batches_look_like_the_evaluator_s():
    batches = list(synthetic_batches(5, 3, 4, ['a', 'b'], batch_size=3))
    flat = [s for b in batches for s in b]
    assert [len(b) for b in batches] == [3, 3, 2]
    assert [s['knn_role'] for s in flat] == ['reference'] * 5 + ['query'] * 3
    assert flat[0]['stream_features']['a'].shape == (4, )


def test_run_benchmark_reports_memory_time_and_scores(tmp_path):
    record = run_benchmark(40, 20, dim=8, options=dict(k=3))
    assert set(record['metrics']) == {'joint', 'motion', 'bone', 'fused'}
    assert record['extra_peak_mib'] >= 0 and record['compute_s'] > 0
    # a file's KNNAccuracy (here: the current one) stays out of the registry
    again = run_benchmark(40, 20, dim=8, metric_file=_standalone(tmp_path),
                          options=dict(k=3))
    assert again['metrics'] == record['metrics']


def test_cli_prints_a_table(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / 'tools/analysis_tools/benchmark_knn.py'),
         '--reference', '30', '--query', '10', '--dim', '4', '--option',
         'k=2', '--baseline', _standalone(tmp_path)],
        capture_output=True, text=True, check=True,
        env=dict(__import__('os').environ, PYTHONPATH=str(ROOT),
                 OMP_NUM_THREADS='1')).stdout
    assert '| current |' in out and '| baseline |' in out
