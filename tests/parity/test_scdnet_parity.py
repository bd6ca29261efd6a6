"""SCD-Net against the authors' release: one training step (two CTR-GCN
trunks, both clue branches, three projectors, the four clue <-> anchor
terms, EMA, enqueue, SGD) reproduces ``../shared/parity/scdnet_step.pt``
within its stated tolerances, in float64 and float32."""
import pytest
import torch

import cmd_plugin  # noqa: F401
from mmaction.registry import MODELS
from . import reference as ref
from .recorder import StepRecorder, check_rest_of_step, default_dtype, sgd

DTYPES = {'float64': torch.float64, 'float32': torch.float32}
CLUES = ('z_t', 'z_s', 'z_g')


@pytest.fixture(scope='module')
def fixture():
    return ref.load('scdnet_step')


def watched(encoder, side):
    return {f'{side}_v_t': encoder.backbone.temporal,
            f'{side}_v_s': encoder.backbone.spatial,
            f'{side}_z': encoder}


@pytest.mark.parametrize('dtype_name', ['float64', 'float32'])
def test_scdnet_step_matches_the_reference(fixture, dtype_name):
    dtype = DTYPES[dtype_name]
    tol = fixture['settings']['tolerances'][dtype_name]
    with default_dtype(dtype):
        model = MODELS.build(ref.model_cfg(fixture)).to(dtype).train()
        model.load_state_dict(ref.renamed(fixture['init_state']))
        opt = sgd(model, fixture)
        for s, step in enumerate(fixture['steps']):
            at = f'step {s}'
            rec = StepRecorder(model, dict(
                watched(model.query_encoders['scd'], 'query'),
                **watched(model.key_encoders['scd'].module, 'key')))
            losses = model(step['inputs'].to(dtype), mode='loss')
            rec.close()
            for side in ('query', 'key'):
                for clue in ('v_t', 'v_s'):
                    ref.assert_within(f'{at} {side}[{clue}]',
                                      rec.outputs[f'{side}_{clue}'],
                                      step[side][clue], tol)
                for clue, got in zip(CLUES, rec.outputs[f'{side}_z']):
                    ref.assert_within(f'{at} {side}[{clue}]', got,
                                      step[side][clue], tol)
            assert list(losses) == list(step['losses'])
            for term, got in zip(losses, rec.contrast_logits()):
                ref.assert_within(f'{at} logits[{term}]', got,
                                  step['logits'][term], tol)
                ref.assert_within(f'{at} {term}', losses[term],
                                  step['losses'][term], tol)
            check_rest_of_step(at, model, opt, losses, step, tol)
