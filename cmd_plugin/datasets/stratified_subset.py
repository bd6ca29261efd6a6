"""A fixed, seeded, class-stratified subset of a labelled set."""
import hashlib
from typing import Dict, List, Sequence


def _rank_key(seed: int, index: int) -> bytes:
    # A hash, not an RNG stream: the same subset on every machine and with
    # every numpy/torch version.
    return hashlib.blake2b(f'{seed}:{index}'.encode(),
                           digest_size=8).digest()


def stratified_subset(labels: Sequence[int], size: int,
                      seed: int = 0) -> List[int]:
    """Indices (ascending) of ``size`` samples keeping class proportions.

    Each class gets ``size * n_c / n`` samples rounded down, the leftover
    going to the classes with the largest remainders (lower class first on
    equal remainders), so every class is within one sample of its share.
    Within a class the samples with the smallest hash of ``(seed, index)``
    are taken.

    Args:
        labels (Sequence[int]): Class of each sample.
        size (int): Samples to keep; all of them if ``size >= len(labels)``.
        seed (int): Picks which samples of each class.
    """
    total = len(labels)
    if size >= total:
        return list(range(total))
    by_class: Dict[int, List[int]] = {}
    for index, label in enumerate(labels):
        by_class.setdefault(int(label), []).append(index)
    classes = sorted(by_class)
    quota = {c: size * len(by_class[c]) // total for c in classes}
    leftover = size - sum(quota.values())
    remainders = sorted(classes,
                        key=lambda c: (-(size * len(by_class[c]) % total), c))
    for c in remainders[:leftover]:
        quota[c] += 1
    chosen = []
    for c in classes:
        ranked = sorted(by_class[c], key=lambda i: _rank_key(seed, i))
        chosen.extend(ranked[:quota[c]])
    return sorted(chosen)
