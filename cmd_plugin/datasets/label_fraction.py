"""Seeded, class-balanced subsets of a split for semi-supervised runs.

The semi-supervised protocol fine-tunes with 1% or 10% of the training
labels and averages several subsets (the CMD authors' subsets were neither
seeded nor balanced). Here a subset is a function of (seed, frame_dir,
label, fraction) only:

- each sample is ranked inside its class by SHA-256 of ``seed`` and its
  ``frame_dir``, and the class keeps its lowest-ranked samples. A hash,
  not a shuffled index list, so the subset does not depend on the input
  order, the platform or the numpy / scikit-learn version (random streams
  and ``train_test_split``'s allocation are not promised stable across
  releases), and samples added to or removed from a split do not reshuffle
  the others. The ranking is the same for every fraction, so for one seed
  a larger fraction keeps a superset whenever it keeps at least as many of
  each class (always so for 1% and 10%).
- each class keeps ``floor(fraction * size)`` or one more, at least one;
  the extra ones go to the largest remainders (ties broken by a seeded hash
  of the class) so that the total is ``round(fraction * N)``; more only
  where classes smaller than ``1 / fraction`` were raised to one sample.
"""
import hashlib
import math
from collections import defaultdict
from typing import Dict, List, Sequence


def _rank(seed: int, name: str) -> bytes:
    return hashlib.sha256(f'{seed}\0{name}'.encode()).digest()


def check_fraction(fraction, key: str = 'fraction',
                   where: str = '') -> float:
    """``fraction`` as a float in (0, 1]; the error names ``key`` and
    ``where`` it was set."""
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) \
            or not 0 < fraction <= 1:
        raise ValueError(
            f'{key}={fraction!r}{where} is not a share of the labels: give a '
            'number in (0, 1], e.g. 0.01 or 0.1 for 1% or 10%, or None '
            'for all of them.')
    return float(fraction)


def class_counts(sizes: Dict[int, int], fraction: float,
                 seed: int) -> Dict[int, int]:
    """Samples kept per class, for class ``sizes`` (label -> count)."""
    fraction = check_fraction(fraction)
    exact = {c: fraction * n for c, n in sizes.items()}
    # the floor of a product like 0.1 * 70 must not lose 1 to float error
    keep = {c: min(n, math.floor(exact[c] + 1e-9)) for c, n in sizes.items()}
    for c in keep:
        keep[c] = max(1, keep[c])
    target = math.floor(fraction * sum(sizes.values()) + 0.5)
    # a class raised to 1, or whose share is whole, gets no extra one
    open_ = [c for c in sizes if keep[c] < exact[c] - 1e-9]
    open_.sort(key=lambda c: (-(exact[c] - keep[c]), _rank(seed, f'c{c}')))
    for c in open_[:max(0, target - sum(keep.values()))]:
        keep[c] += 1
    return keep


def label_fraction_subset(frame_dirs: Sequence[str], labels: Sequence[int],
                          fraction: float, seed: int = 0) -> List[int]:
    """Sorted indices of a seeded, class-balanced ``fraction`` of samples.

    Args:
        frame_dirs: Unique sample names (``frame_dir``).
        labels: Class index of each sample.
        fraction: Share of each class to keep, in (0, 1].
        seed: Which subset; the same seed gives the same subset anywhere.

    Raises:
        ValueError: Bad fraction, lengths differ, or a name repeats.
    """
    if len(frame_dirs) != len(labels):
        raise ValueError(f'{len(frame_dirs)} frame_dirs but {len(labels)} '
                         'labels; give one label per sample')
    by_class: Dict[int, List[int]] = defaultdict(list)
    seen = set()
    for i, (name, label) in enumerate(zip(frame_dirs, labels)):
        name = str(name)
        if name in seen:
            raise ValueError(
                f'frame_dir {name!r} appears more than once; subsets pick '
                'samples by name, so names must be unique. Fix the '
                'converter or the split list.')
        seen.add(name)
        by_class[int(label)].append(i)
    counts = class_counts({c: len(v) for c, v in by_class.items()},
                          fraction, seed)
    picked = []
    for c, members in by_class.items():
        members.sort(key=lambda i: _rank(seed, str(frame_dirs[i])))
        picked.extend(members[:counts[c]])
    return sorted(picked)
