"""CMD against the authors' release: two full training steps (GRU encoder,
InfoNCE, the six distillation terms, EMA, enqueue, SGD) reproduce every
quantity ``../shared/parity/cmd_gru_step.pt`` stores, within its stated
tolerances, in float64 and float32 and with both GRU implementations."""
import pytest
import torch

import cmd_plugin  # noqa: F401
from mmaction.registry import MODELS
from . import reference as ref
from .recorder import StepRecorder, check_rest_of_step, default_dtype, sgd

DTYPES = {'float64': torch.float64, 'float32': torch.float32}


@pytest.fixture(scope='module')
def fixture():
    return ref.load('cmd_gru_step')


def run_steps(fixture, dtype_name, impl):
    """Run the fixture's steps, comparing every quantity."""
    dtype = DTYPES[dtype_name]
    tol = fixture['settings']['tolerances'][dtype_name]
    cfg = ref.model_cfg(fixture)
    cfg['backbone']['impl'] = impl
    with default_dtype(dtype):
        model = MODELS.build(cfg).to(dtype).train()
        model.load_state_dict(ref.renamed(fixture['init_state']))
        opt = sgd(model, fixture)
        mods = model.modalities
        for s, step in enumerate(fixture['steps']):
            watch = dict({f'q_{m}': model.query_encoders[m] for m in mods},
                         **{f'k_{m}': model.key_encoders[m].module
                            for m in mods})
            rec = StepRecorder(model, watch)
            losses = model(step['inputs'].to(dtype), mode='loss')
            rec.close()
            at = f'step {s}'
            for m in mods:
                ref.assert_within(f'{at} query_embed[{m}]',
                                  rec.outputs[f'q_{m}'],
                                  step['query_embed'][m], tol)
                ref.assert_within(f'{at} key_embed[{m}]',
                                  rec.outputs[f'k_{m}'],
                                  step['key_embed'][m], tol)
            logits = rec.contrast_logits()
            assert len(logits) == len(mods)
            for m, got in zip(mods, logits):
                ref.assert_within(f'{at} logits[{m}]', got,
                                  step['logits'][m], tol)
            assert set(losses) == set(step['losses'])
            for k, v in step['losses'].items():
                ref.assert_within(f'{at} {k}', losses[k], v, tol)
            check_rest_of_step(at, model, opt, losses, step, tol)
    return model


@pytest.mark.parametrize('impl', ['fused', 'native'])
@pytest.mark.parametrize('dtype_name', ['float64', 'float32'])
def test_two_cmd_steps_match_the_reference(fixture, dtype_name, impl):
    run_steps(fixture, dtype_name, impl)


def test_fixture_sizes_are_what_the_model_is_built_with(fixture):
    """The comparison is only sharp if nothing is square by accident: the
    fixture's sizes are distinct, and the model takes them from its
    config, not from defaults."""
    s = fixture['settings']
    sizes = [s['batch'], s['clip_len'], s['num_joints'], s['hidden_size'],
             2 * s['hidden_size'], s['feat_dim'], s['queue_size']]
    assert len(set(sizes)) == len(sizes)
    model = MODELS.build(ref.model_cfg(fixture))
    assert model.queue_size == s['queue_size']
    assert model.feat_dim == s['feat_dim']
    assert model.distill_loss.topk == s['topk']
    pairs = [tuple(p) for p in s['kd_pairs']]
    assert sorted(model.distill_pairs) == sorted(pairs)
