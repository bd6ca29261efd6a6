"""ProbabilityApply."""
import numpy as np
import pytest
from mmcv.transforms import BaseTransform

import cmd_plugin  # noqa: F401
from cmd_plugin.datasets.data_settings import apply_data_settings
from cmd_plugin.datasets.transforms import (ProbabilityApply, pipeline_rng,
                                            seed_pipeline_rng)
from mmaction.registry import TRANSFORMS

pytestmark = pytest.mark.usefixtures('seeded_pipeline_rng')


class _Tag(BaseTransform):

    def __init__(self, name: str) -> None:
        self.name = name

    def transform(self, results: dict) -> dict:
        results.setdefault('applied', []).append(self.name)
        return results


def _applied(transform, draws):
    return [tuple(transform({}).get('applied', ())) for _ in range(draws)]


@pytest.mark.parametrize('prob', [0.2, 0.5, 0.9])
def test_frequency_matches_prob(prob):
    runs = _applied(ProbabilityApply([_Tag('a'), _Tag('b')], prob=prob),
                    4000)
    # The sub-pipeline runs as a unit, in order, or not at all.
    assert set(runs) <= {(), ('a', 'b')}
    frequency = sum(r == ('a', 'b') for r in runs) / 4000
    # 4000 draws: the standard error is at most 0.008.
    assert frequency == pytest.approx(prob, abs=0.03)


def test_prob_zero_and_one_and_one_draw_per_call():
    never = _applied(ProbabilityApply([_Tag('a')], prob=0.0), 200)
    assert never == [()] * 200
    seed_pipeline_rng(5)
    always = _applied(ProbabilityApply([_Tag('a')], prob=1.0), 7)
    assert always == [('a', )] * 7
    # Exactly one draw per call, whatever prob: the stream after 7 calls
    # is the stream after 7 draws.
    after_calls = pipeline_rng().random()
    seed_pipeline_rng(5)
    pipeline_rng().random(7)
    assert pipeline_rng().random() == after_calls


def test_global_rng_not_used():
    transform = ProbabilityApply([_Tag('a')])
    seed_pipeline_rng(9)
    first = _applied(transform, 40)
    seed_pipeline_rng(9)
    second = []
    for _ in range(40):
        np.random.seed(255)
        second.extend(_applied(transform, 1))
    assert first == second and len(set(first)) == 2


def test_builds_configs_single_dict_and_none_passthrough():
    transform = TRANSFORMS.build(
        dict(type='ProbabilityApply',
             transforms=[dict(type='Shear', magnitude=0.5)], prob=1.0))
    assert 'Shear(magnitude=0.5)' in repr(transform)
    assert 'prob=1.0' in repr(transform)
    sample = dict(keypoint=np.ones((2, 4, 25, 3), np.float32))
    out = transform(sample)['keypoint']
    assert out.shape == (2, 4, 25, 3) and not np.all(out == 1)
    single = ProbabilityApply(dict(type='Shear'), prob=1.0)
    out = single(dict(keypoint=np.ones((1, 2, 25, 3))))['keypoint']
    assert out.shape == (1, 2, 25, 3)
    drop = ProbabilityApply([lambda results: None], prob=1.0)
    assert drop({}) is None


def test_dataset_settings_reach_the_wrapped_transforms():
    pipeline = [
        dict(type='ProbabilityApply',
             transforms=[dict(type='PreNormalize2sAGCN')])
    ]
    filled = apply_data_settings(pipeline, dict(layout='nw-ucla'), 'test')
    assert filled[0]['transforms'][0]['layout'] == 'nw-ucla'


@pytest.mark.parametrize('prob', [-0.1, 1.5, float('nan')])
def test_bad_prob(prob):
    with pytest.raises(ValueError, match='ProbabilityApply: prob must be'):
        ProbabilityApply([_Tag('a')], prob=prob)


def test_empty_transforms():
    with pytest.raises(ValueError, match='transforms must not be empty'):
        ProbabilityApply([])
