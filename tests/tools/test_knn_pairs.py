"""tools/analysis_tools/knn_pairs.py: pair confusion on tiny tensors."""
import importlib.util
import math
import os.path as osp

import torch

from tests.conftest import ROOT


def _load_tool():
    spec = importlib.util.spec_from_file_location(
        'knn_pairs', osp.join(ROOT, 'tools', 'analysis_tools',
                              'knn_pairs.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pair_confusion_counts_partner_errors():
    tool = _load_tool()
    labels = torch.tensor([0, 1, 2, 3, 4, 5, 6, 7])
    # 0 -> 1 and 3 -> 2 are partner errors, 4 -> 6 is not.
    predicted = torch.tensor([1, 1, 2, 2, 6, 5, 6, 7])
    out = tool.pair_confusion(predicted, labels)
    assert out['acc'] == 5 / 8
    assert out['pair_acc'] == 7 / 8
    assert out['errors'] == 3
    assert math.isclose(out['partner'], 2 / 3)
    assert math.isnan(tool.pair_confusion(labels, labels)['partner'])


def _features(labels, direction_weight):
    """One stream: a pose part shared by a pair, plus a direction part
    (the sign of the class's direction) scaled by ``direction_weight``;
    reversing a clip flips the direction part."""
    pose = torch.nn.functional.one_hot(labels // 2, 4).float()
    sign = (1 - 2 * (labels % 2)).float()[:, None]
    direction = direction_weight * sign * torch.ones(len(labels), 1)
    return torch.cat([pose, direction], 1), torch.cat([pose, -direction], 1)


def test_evaluate_tells_direction_blind_from_direction_aware_streams():
    tool = _load_tool()
    labels = torch.arange(8).repeat(2)
    features = {}
    for role in ('reference', 'query'):
        blind, blind_rev = _features(labels, 0.0)
        aware, aware_rev = _features(labels, 1.0)
        features[role] = dict(
            labels=labels,
            two=torch.arange(16) >= 8,
            feats=dict(blind=blind, aware=aware),
            rev=dict(blind=blind_rev, aware=aware_rev))
    rows = {row['stream']: row for row in tool.evaluate(features)}
    assert set(rows) == {'blind', 'aware', 'fused'}
    # Ties go to the first reference row, class 2k: every 2k + 1 query
    # is a partner error and its reversal is "recognised" only for 2k.
    assert rows['blind']['acc'] == 0.5
    assert rows['blind']['pair_acc'] == 1.0
    assert rows['blind']['partner'] == 1.0
    assert rows['blind']['rev'] == 0.5
    assert rows['aware']['acc'] == 1.0
    assert rows['aware']['rev'] == 1.0
    assert rows['fused']['acc'] == 1.0
    # the 2k + 1 errors fall on both halves alike
    assert rows['blind']['1p'] == rows['blind']['2p'] == 0.5


def test_evaluate_splits_accuracy_by_second_person():
    tool = _load_tool()
    labels = torch.tensor([0, 2, 4, 6])
    pose = torch.nn.functional.one_hot(labels // 2, 4).float()
    # the query clips with a second person (the last two) look like the
    # wrong reference clip
    query = pose[[0, 1, 3, 2]]
    features = dict(
        reference=dict(labels=labels, two=torch.zeros(4, dtype=torch.bool),
                       feats=dict(s=pose), rev=dict(s=pose)),
        query=dict(labels=labels, two=torch.tensor([0, 0, 1, 1]).bool(),
                   feats=dict(s=query), rev=dict(s=query)))
    row = tool.evaluate(features)[0]
    assert (row['1p'], row['2p'], row['acc']) == (1.0, 0.0, 0.5)
