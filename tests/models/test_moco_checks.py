"""Settings that would train silently wrong are errors or one warning."""
from types import SimpleNamespace

import pytest

import cmd_plugin  # noqa: F401
from cmd_plugin.engine.hooks import GlobalBatchCheckHook
from mmaction.registry import MODELS
from tests.models.test_cmd import tiny_cfg
from tests.models.test_plain_moco import tiny_plain_moco


def test_ema_momentum_of_one_half_is_refused():
    with pytest.raises(ValueError, match='ema_momentum=0.5 would make'):
        MODELS.build(tiny_cfg(ema_momentum=0.5))
    with pytest.warns(UserWarning, match='MoCo m = 0.8'):
        MODELS.build(tiny_cfg(ema_momentum=0.2))


@pytest.mark.parametrize('layout,message', [
    ('ntu', "graph_cfg.layout='ntu' is not a layout MMAction2's Graph "
     'knows'),
    ('coco', 'built for 17 joints .* num_node=25'),
])
def test_bad_backbone_graph_layout_names_the_key(layout, message):
    cfg = tiny_cfg()
    cfg['backbone']['graph_cfg']['layout'] = layout
    with pytest.raises(ValueError, match=message):
        MODELS.build(cfg)


def test_graph_layout_follows_the_model_when_left_out():
    cfg = tiny_cfg(layout='nw-ucla')
    del cfg['backbone']['graph_cfg']['layout']
    model = MODELS.build(cfg)
    assert model.query_encoders['bone'].backbone.graph.num_node == 20
    assert model.distill_loss.topk == 8  # given; else half the queue
    cfg['distill_loss'] = dict(type='MutualDistillationLoss')
    assert MODELS.build(cfg).distill_loss.topk == 8  # 16 // 2


def test_global_batch_other_than_the_recipe_warns():
    warnings = []
    runner = SimpleNamespace(
        model=tiny_plain_moco(queue_size=16),
        cfg=dict(auto_scale_lr=dict(enable=False, base_batch_size=64)),
        logger=SimpleNamespace(warning=warnings.append),
        train_dataloader=SimpleNamespace(
            drop_last=True, batch_size=8, dataset=list(range(64))))
    GlobalBatchCheckHook().before_train(runner)
    assert len(warnings) == 1
    assert 'global batch 8' in warnings[0] and "recipe's 64" in warnings[0]
    assert 'batch_size=64' in warnings[0] and '--auto-scale-lr' in warnings[0]
    runner.cfg['auto_scale_lr']['enable'] = True
    GlobalBatchCheckHook().before_train(runner)
    assert len(warnings) == 1
