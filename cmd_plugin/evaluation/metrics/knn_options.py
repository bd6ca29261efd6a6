"""Checks of KNNAccuracy's options, each error naming the key to fix."""
from typing import List, Optional, Sequence

from ..functional import FUSED

WEIGHTINGS = ('exp', 'uniform')
FEATURE_DTYPES = ('float16', 'float32')


def _positive_int(key: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(
            f'KNNAccuracy {key}={value!r}: must be an integer >= 1; fix '
            f'{key} in the val_evaluator/test_evaluator config')


def check_options(fuse, k, temperature, weighting, streams, chunk_size,
                  reference_chunk_size, feature_dtype) -> None:
    """Raise ValueError for an option that cannot work, naming it."""
    _positive_int('k', k)
    _positive_int('chunk_size', chunk_size)
    _positive_int('reference_chunk_size', reference_chunk_size)
    if isinstance(temperature, bool) or not isinstance(
            temperature, (int, float)) or not temperature > 0:
        raise ValueError(
            f'KNNAccuracy temperature={temperature!r}: must be a number > 0 '
            '(InstDisc/DINO use 0.07); fix temperature in the evaluator '
            'config')
    if weighting not in WEIGHTINGS:
        raise ValueError(
            f'KNNAccuracy weighting={weighting!r}: use one of {WEIGHTINGS}')
    if feature_dtype not in FEATURE_DTYPES:
        raise ValueError(f'KNNAccuracy feature_dtype={feature_dtype!r}: use '
                         f'one of {FEATURE_DTYPES}')
    if streams is not None:
        if isinstance(streams, str) or not streams or not all(
                isinstance(s, str) for s in streams):
            raise ValueError(
                f'KNNAccuracy streams={streams!r}: give a non-empty list of '
                "stream names (e.g. ['joint', 'fused']) or None for all")
        if FUSED in streams and not fuse:
            raise ValueError(
                "KNNAccuracy streams lists 'fused' while fuse=False; drop "
                "one of them")


def check_streams(streams: Optional[Sequence[str]], emitted: List[str],
                  fuse: bool) -> List[str]:
    """The streams to report, given those the model emits."""
    if streams is None:
        return emitted + ([FUSED] if fuse and len(emitted) > 1 else [])
    unknown = [s for s in streams if s != FUSED and s not in emitted]
    if unknown:
        raise ValueError(
            f'KNNAccuracy streams={list(streams)!r}: the model emits no '
            f'{unknown}; its streams are {emitted} (and {FUSED!r} for '
            'all of them fused)')
    if FUSED in streams and len(emitted) < 2:
        raise ValueError(
            f"KNNAccuracy streams lists 'fused' but the model emits one "
            f'stream, {emitted}; drop it from streams')
    order = emitted + [FUSED]
    return sorted(set(streams), key=order.index)
