"""Resolve CMD's ``distill_pairs`` setting into ordered (teacher, student)
pairs."""
from itertools import permutations
from typing import List, Sequence, Tuple, Union

PairsCfg = Union[str, Sequence[Sequence[str]]]


def resolve_distill_pairs(distill_pairs: PairsCfg,
                          modalities: Sequence[str]) -> List[Tuple[str, str]]:
    """Turn the config value into a list of (teacher a, student b) pairs.

    Args:
        distill_pairs (str | Sequence): 'all' (every ordered pair a != b, six
            for three modalities, as published), 'none' (no distillation:
            independent MoCo models) or explicit pairs such as
            ``[('joint', 'motion'), ('motion', 'joint')]``.
        modalities (Sequence[str]): The model's modalities.

    Returns:
        list[tuple[str, str]]: Ordered pairs, in config order.

    Raises:
        ValueError: Unknown keyword, malformed pair, a modality not in
            ``modalities``, a == b, or a repeated pair.
    """
    if isinstance(distill_pairs, str):
        if distill_pairs == 'all':
            return list(permutations(modalities, 2))
        if distill_pairs == 'none':
            return []
        raise ValueError(
            f"distill_pairs={distill_pairs!r}: use 'all', 'none' or a list "
            "of (teacher, student) pairs such as [('joint', 'motion')]")
    pairs: List[Tuple[str, str]] = []
    for pair in distill_pairs:
        if isinstance(pair, str) or len(pair) != 2:
            raise ValueError(
                f'distill_pairs entry {pair!r} is not a (teacher, student) '
                "pair; write e.g. ('joint', 'motion')")
        a, b = pair
        missing = [m for m in (a, b) if m not in modalities]
        if missing:
            raise ValueError(
                f'distill_pairs entry {tuple(pair)} names {missing}, which '
                f'is not in modalities={list(modalities)}; add it to '
                'modalities or drop the pair')
        if a == b:
            raise ValueError(
                f'distill_pairs entry {tuple(pair)} distils {a!r} into '
                'itself; teacher and student must be different modalities')
        if (a, b) in pairs:
            raise ValueError(
                f'distill_pairs repeats {tuple(pair)}; list each ordered '
                'pair once')
        pairs.append((a, b))
    return pairs
