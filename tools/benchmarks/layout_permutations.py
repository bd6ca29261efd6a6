"""Which wrong joint orders the load-time layout check catches.

    python tools/benchmarks/layout_permutations.py \
        data/skeleton/ucla.pkl data/skeleton/sbu.pkl --synthetic \
        [--perms 200] [--seed 0]

For each annotation pickle (its recorded layout is the true one) and the
synthetic set, the joints of the samples the dataset check reads are put
in a random wrong order, and the check (cmd_plugin/skeleton/fit.py) is run
with the true layout, as if the data had been recorded in that order.
Kinds of permutation: all joints; limbs only (joints a flip moves); torso
only (joints on the midline); two joints swapped (one random pair); left
and right mirrored (a shape-preserving order, undetectable by design). Prints, per dataset and kind, the
share caught by the bone-constancy test, by the left/right symmetry test,
and by either (what loading warns about), plus the false alarms on the
true order.
"""
import argparse
import pickle
import sys

import numpy as np

import cmd_plugin  # noqa: F401
from cmd_plugin.converters.synthetic import make_synthetic_dataset
from cmd_plugin.skeleton.fit import layout_misfit
from cmd_plugin.skeleton.layouts import flip_permutation, get_layout

# as many samples as SkeletonDataset's check reads
CHECK_SAMPLES = 64
KINDS = ('all joints', 'limbs only', 'torso only', 'two joints swapped',
         'left/right mirrored')


def check_samples(data: dict):
    annotations = data['annotations']
    step = max(1, len(annotations) // CHECK_SAMPLES)
    return [np.asarray(a['keypoint'], dtype=np.float32)
            for a in annotations[::step][:CHECK_SAMPLES]]


def movable(layout, kind: str):
    """The joints a permutation of ``kind`` shuffles."""
    num_node = int(get_layout(layout)['num_node'])
    if kind == 'all joints':
        return list(range(num_node))
    swap = flip_permutation(layout)
    midline = [v for v in range(num_node) if swap[v] == v]
    return midline if kind == 'torso only' else [
        v for v in range(num_node) if v not in midline]


def wrong_order(layout, kind: str, rng) -> np.ndarray:
    """A random joint order of ``kind`` other than the true one."""
    num_node = int(get_layout(layout)['num_node'])
    order = np.arange(num_node)
    if kind == 'left/right mirrored':  # the data of a flipped recording
        return np.asarray(flip_permutation(layout))
    if kind == 'two joints swapped':
        a, b = rng.choice(num_node, size=2, replace=False)
        order[[a, b]] = order[[b, a]]
        return order
    joints = movable(layout, kind)
    while (order == np.arange(num_node)).all():
        order[joints] = rng.permutation(joints)
    return order


def study(keypoints, layout, kind: str, perms: int, rng) -> dict:
    counts = dict(bones=0, pairs=0, either=0)
    for _ in range(perms):
        order = wrong_order(layout, kind, rng)
        shuffled = [k[:, :, order] for k in keypoints]
        misfit = layout_misfit(shuffled, layout)
        if misfit:
            counts['either'] += 1
            counts['bones'] += bool(misfit['bones'])
            counts['pairs'] += bool(misfit['pairs'])
    return {k: 100.0 * v / perms for k, v in counts.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('pickles', nargs='*', help='annotation pickles that '
                        'record their layout')
    parser.add_argument('--synthetic', action='store_true',
                        help='also the synthetic set (make demo)')
    parser.add_argument('--perms', type=int, default=200)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    sets = []
    for path in args.pickles:
        with open(path, 'rb') as f:
            data = pickle.load(f)
        if data.get('layout') is None:
            print(f'{path} records no layout', file=sys.stderr)
            return 1
        sets.append((path, data))
    if args.synthetic:
        sets.append(('synthetic', make_synthetic_dataset(per_class=8,
                                                         seed=0)))
    print('| data | joints | permutation | bone constancy | left/right '
          'symmetry | caught (either) |')
    print('|---|---|---|---|---|---|')
    for name, data in sets:
        layout = data['layout']
        keypoints = check_samples(data)
        false = layout_misfit(keypoints, layout)
        joints = get_layout(layout)['num_node']
        print(f'| {name} | {joints} | none (true order): false alarm | '
              f'{"yes" if false and false["bones"] else "no"} | '
              f'{"yes" if false and false["pairs"] else "no"} | '
              f'{"yes" if false else "no"} |')
        for kind in KINDS:
            rng = np.random.default_rng(args.seed)
            r = study(keypoints, layout, kind, args.perms, rng)
            label = (f'{kind} ({len(movable(layout, kind))} joints)'
                     if kind in KINDS[:3] else kind)
            print(f'| {name} | {joints} | {label} | '
                  f'{r["bones"]:.1f}% | {r["pairs"]:.1f}% | '
                  f'{r["either"]:.1f}% |')
    return 0


if __name__ == '__main__':
    sys.exit(main())
