"""Memory and time of a kNN metric's ``process`` + ``compute_metrics``.

Feeds a metric synthetic ``stream_features`` batches shaped as
``BaseMoCo.predict`` makes them (one float32 CPU tensor per stream and
batch, each sample a row view of it) and as MMEngine's ``Evaluator``
hands them over (``data_sample.to_dict()``), then scores them the way
``BaseMetric.evaluate`` does in one process. Used by
``tools/benchmarks/benchmark_knn.py``.
"""
import threading
import time
from typing import Dict, Iterator, List, Optional, Sequence

import torch

# NTU-120 cross-subject: training (reference) and test (query) samples.
NTU120_XSUB = dict(reference=63026, query=50919)


def synthetic_batches(num_reference: int, num_query: int, dim: int,
                      streams: Sequence[str], batch_size: int = 64,
                      num_classes: int = 120, noise: float = 4.0,
                      seed: int = 0) -> Iterator[List[dict]]:
    """Evaluator-style sample dicts, references first (dataset order).

    Features are a class centre plus Gaussian noise, so the accuracy is
    neither chance nor perfect and two implementations can be compared.
    """
    g = torch.Generator().manual_seed(seed)
    centres = {s: torch.randn(num_classes, dim, generator=g)
               for s in streams}
    total = num_reference + num_query
    for start in range(0, total, batch_size):
        n = min(batch_size, total - start)
        labels = torch.randint(num_classes, (n, ), generator=g)
        feats = {s: centres[s][labels] +
                 noise * torch.randn(n, dim, generator=g) for s in streams}
        yield [
            dict(knn_role='reference' if start + i < num_reference
                 else 'query',
                 gt_label=labels[i:i + 1],
                 stream_features={s: f[i] for s, f in feats.items()})
            for i in range(n)
        ]


def _rss_kib(field: str) -> int:
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise RuntimeError(f'/proc/self/status has no {field}')


class PeakRSS:
    """Peak resident memory above the level at ``start`` (KiB).

    Resets the kernel's high-water mark (``clear_refs`` 5) when allowed,
    and also samples every few milliseconds in case it is not.
    """

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.sampled = 0
        self._stop = threading.Event()

    def __enter__(self) -> 'PeakRSS':
        try:
            with open('/proc/self/clear_refs', 'w') as f:
                f.write('5')
            self.hwm_reset = True
        except OSError:
            self.hwm_reset = False
        self.base = _rss_kib('VmRSS')
        self.sampled = self.base
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.sampled = max(self.sampled, _rss_kib('VmRSS'))
            time.sleep(self.interval)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        peak = max(self.sampled, _rss_kib('VmRSS'))
        if self.hwm_reset:
            peak = max(peak, _rss_kib('VmHWM'))
        self.extra_kib = peak - self.base


def run_benchmark(num_reference: int, num_query: int, dim: int = 2048,
                  streams: Sequence[str] = ('joint', 'motion', 'bone'),
                  batch_size: int = 64, device: str = 'cpu',
                  metric_class: Optional[type] = None,
                  options: Optional[dict] = None, seed: int = 0) -> Dict:
    """Time and peak extra memory of one kNN evaluation.

    Returns a dict with the metrics, ``process_s``, ``compute_s``,
    ``extra_peak_mib`` (RSS above the level before the first batch),
    ``after_process_mib`` (the same, once every batch is stored) and,
    on CUDA, ``cuda_peak_mib``.
    """
    if metric_class is None:
        # the class of whichever cmd_plugin is first on the path: a
        # baseline's child runs with an earlier checkout's on PYTHONPATH
        from cmd_plugin.evaluation.metrics import KNNAccuracy
        metric_class = KNNAccuracy
    metric = metric_class(**(options or {}))
    from mmengine.evaluator.metric import _to_cpu
    if device == 'cuda':
        torch.cuda.reset_peak_memory_stats()
    batches = synthetic_batches(num_reference, num_query, dim, streams,
                                batch_size, seed=seed)
    making = 0.0  # the synthetic batches' own cost, left out of process_s
    with PeakRSS() as peak:
        t0 = time.perf_counter()
        while True:
            tick = time.perf_counter()
            batch = next(batches, None)
            making += time.perf_counter() - tick
            if batch is None:
                break
            metric.process(None, batch)
        t1 = time.perf_counter()
        stored_kib = _rss_kib('VmRSS') - peak.base
        # BaseMetric.evaluate in one process: collect_results returns
        # results[:size], _to_cpu copies the containers, then the list
        # is cleared after compute_metrics
        results = _to_cpu(metric.results[:num_reference + num_query])
        scores = metric.compute_metrics(results)
        metric.results.clear()
        if device == 'cuda':
            torch.cuda.synchronize()
        t2 = time.perf_counter()
    out = dict(metrics=scores, process_s=t1 - t0 - making,
               compute_s=t2 - t1,
               extra_peak_mib=peak.extra_kib / 1024,
               after_process_mib=stored_kib / 1024,
               hwm_reset=peak.hwm_reset)
    if device == 'cuda':
        out['cuda_peak_mib'] = torch.cuda.max_memory_allocated() / 2**20
    return out
