"""RandomChooseOne."""
from collections import Counter

import numpy as np
import pytest
from mmcv.transforms import BaseTransform

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets.transforms import RandomChooseOne, seed_pipeline_rng
from mmaction.registry import TRANSFORMS

pytestmark = pytest.mark.usefixtures('seeded_pipeline_rng')


class _Tag(BaseTransform):

    def __init__(self, name: str) -> None:
        self.name = name

    def transform(self, results: dict) -> dict:
        results.setdefault('applied', []).append(self.name)
        return results


def _frequencies(transform, draws: int = 4000) -> Counter:
    counts = Counter()
    for _ in range(draws):
        applied = transform({})['applied']
        assert len(applied) == 1  # exactly one
        counts[applied[0]] += 1
    return counts


def test_frequencies_match_probabilities():
    transform = RandomChooseOne(
        [_Tag('a'), _Tag('b'), _Tag('c')], prob=[0.2, 0.5, 0.3])
    counts = _frequencies(transform)
    for name, p in zip('abc', (0.2, 0.5, 0.3)):
        assert counts[name] / 4000 == pytest.approx(p, abs=0.03)


def test_default_is_uniform_and_zero_prob_never_chosen():
    counts = _frequencies(RandomChooseOne([_Tag('a'), _Tag('b')]), 2000)
    assert counts['a'] / 2000 == pytest.approx(0.5, abs=0.04)
    counts = _frequencies(
        RandomChooseOne([_Tag('a'), _Tag('b'), _Tag('c')],
                        prob=[0.5, 0.5, 0.0]), 1000)
    assert counts['c'] == 0


def test_global_rng_not_used():
    transform = RandomChooseOne([_Tag('a'), _Tag('b')])
    seed_pipeline_rng(9)
    first = [transform({})['applied'][0] for _ in range(30)]
    seed_pipeline_rng(9)
    second = []
    for _ in range(30):
        np.random.seed(255)
        second.append(transform({})['applied'][0])
    assert first == second
    assert len(set(first)) == 2


def test_builds_configs_and_sub_pipelines():
    transform = TRANSFORMS.build(
        dict(
            type='RandomChooseOne',
            transforms=[
                dict(type='Shear'),
                [
                    dict(type='JointCorruption'),
                    dict(type='Shear', magnitude=0.5)
                ],
            ],
            prob=[0.5, 0.5]))
    text = repr(transform)
    assert 'Shear(magnitude=1.0)' in text and 'JointCorruption' in text
    sample = dict(keypoint=np.ones((2, 4, 25, 3), np.float32))
    assert transform(sample)['keypoint'].shape == (2, 4, 25, 3)


@pytest.mark.parametrize('prob,match', [
    ([0.5, 0.4], 'must sum to 1'),
    ([1.0], '1 probabilities for 2 transforms'),
    ([1.5, -0.5], 'non-negative'),
])
def test_bad_probabilities(prob, match):
    with pytest.raises(ValueError, match=match):
        RandomChooseOne([_Tag('a'), _Tag('b')], prob=prob)


def test_empty_transforms():
    with pytest.raises(ValueError, match='must not be empty'):
        RandomChooseOne([])
