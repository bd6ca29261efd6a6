"""Per-stream 1-NN over classes and over time-reversed class pairs.

For data whose classes come in pairs ``2k, 2k + 1`` that hold the same
poses in opposite temporal order (the synthetic demo data), a stream that is
blind to time direction confuses each class with its partner: its 8-class
1-NN accuracy is low while its pair accuracy (label // 2) stays high, and
most of its errors are the partner. Also prints ``rev``: 1-NN accuracy of
the query clips played backwards, scored against the partner label (a
reversed clip of class 2k is a clip of class 2k + 1). A stream that sees
direction scores about its 1-NN accuracy there; a direction-blind one
keeps predicting the unreversed class and scores about its partner errors.
``1p`` / ``2p``: 1-NN accuracy of the query clips with one person / with a
second one (person 1 not all zeros), to spot a stream that matches clips by
the second person rather than by the action.

Evaluates the config's test_dataloader (a ``KNNEvalDataset``) with the
weights of each CHECKPOINT, or of a fresh initialisation for ``random``
(seeded like the training run: randomness.seed, then build, then
init_weights, which reproduces the run's epoch-0 kNN numbers).

    python tools/analysis_tools/knn_pairs.py CONFIG random \
        work_dirs/demo/epoch_20.pth [--cfg-options k=v]
"""
import argparse
from math import nan
from typing import Dict, List

import torch
import torch.nn.functional as F
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmengine.runner import Runner, set_random_seed

import cmd_plugin  # noqa: F401
from cmd_plugin.compat import safe_torch_load
from cmd_plugin.evaluation.metrics.knn_metric import nearest_neighbour_labels
from cmd_plugin.launch.settled_config import settle_config
from mmaction.registry import MODELS


def pair_confusion(predicted: torch.Tensor,
                   labels: torch.Tensor) -> Dict[str, float]:
    """Class accuracy, pair accuracy and the partner's share of errors.

    Args:
        predicted (Tensor): (N, ) predicted class labels.
        labels (Tensor): (N, ) true labels; ``2k`` and ``2k + 1`` are a
            time-reversed pair.

    Returns:
        dict: ``acc`` (classes), ``pair_acc`` (label // 2), ``partner``
        (errors that are the reversed partner / all errors; nan without
        errors) and ``errors`` (their count).
    """
    wrong = predicted != labels
    partner = wrong & (predicted == (labels ^ 1))
    num_wrong = int(wrong.sum())
    return dict(
        acc=(~wrong).float().mean().item(),
        pair_acc=(predicted // 2 == labels // 2).float().mean().item(),
        partner=partner.sum().item() / num_wrong if num_wrong else float(
            'nan'),
        errors=num_wrong)


def extract(model, dataloader) -> Dict[str, Dict]:
    """``{role: dict(labels, two, feats={stream: (N, D)}, rev=...)}``:
    features L2-normalised, ``rev`` those of the clip played backwards (time
    is dim -3 of (N, views, M, T, V, C)), ``two`` (N, ) bool: a second
    person is present."""
    out: Dict[str, Dict] = {}
    model.eval()
    with torch.no_grad():
        for batch in dataloader:
            data = model.data_preprocessor(batch, False)
            inputs = data['inputs']
            feats = model.stream_features(inputs[:, 0])
            rev = model.stream_features(inputs[:, 0].flip(-3))
            for i, sample in enumerate(data['data_samples']):
                role = out.setdefault(
                    sample.metainfo['knn_role'],
                    dict(labels=[], two=[], feats={}, rev={}))
                role['labels'].append(int(sample.gt_label.reshape(-1)[0]))
                clip = inputs[i, 0]
                role['two'].append(
                    bool(len(clip) > 1 and clip[1].abs().sum() > 0))
                for name in feats:
                    role['feats'].setdefault(name, []).append(feats[name][i])
                    role['rev'].setdefault(name, []).append(rev[name][i])
    for role in out.values():
        role['labels'] = torch.tensor(role['labels'])
        role['two'] = torch.tensor(role['two'], dtype=torch.bool)
        for key in ('feats', 'rev'):
            role[key] = {
                n: F.normalize(torch.stack(v).float(), dim=1)
                for n, v in role[key].items()
            }
    return out


def fuse(streams: Dict[str, torch.Tensor]) -> torch.Tensor:
    """KNNAccuracy's fusion: concatenated normalised streams."""
    return F.normalize(torch.cat(list(streams.values()), dim=1), dim=1)


def evaluate(features: Dict[str, Dict]) -> List[Dict]:
    """One row per stream (and 'fused') with :func:`pair_confusion`,
    ``rev`` (accuracy of the reversed query clips on the partner label) and
    ``1p`` / ``2p`` (accuracy on query clips with one / two persons)."""
    ref, query = features['reference'], features['query']
    ref_feats, query_feats = dict(ref['feats']), dict(query['feats'])
    query_rev = dict(query['rev'])
    if len(ref_feats) > 1:
        ref_feats['fused'] = fuse(ref['feats'])
        query_feats['fused'] = fuse(query['feats'])
        query_rev['fused'] = fuse(query['rev'])
    rows = []
    for name in ref_feats:
        predicted = nearest_neighbour_labels(query_feats[name],
                                             ref_feats[name], ref['labels'])
        row = dict(stream=name, **pair_confusion(predicted, query['labels']))
        correct = (predicted == query['labels']).float()
        two = query['two']
        row['1p'] = correct[~two].mean().item() if (~two).any() else nan
        row['2p'] = correct[two].mean().item() if two.any() else nan
        predicted = nearest_neighbour_labels(query_rev[name],
                                             ref_feats[name], ref['labels'])
        partner = query['labels'] ^ 1
        row['rev'] = (predicted == partner).float().mean().item()
        rows.append(row)
    return rows


def build_model(cfg: Config, checkpoint: str):
    seed = cfg.get('randomness', {}).get('seed', 0)
    set_random_seed(seed if seed is not None else 0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    if checkpoint != 'random':
        state = safe_torch_load(checkpoint, map_location='cpu')
        model.load_state_dict(state.get('state_dict', state))
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoints', nargs='+', help='paths or "random"')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    settle_config(cfg)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    cfg.test_dataloader.update(num_workers=0, persistent_workers=False)
    dataloader = Runner.build_dataloader(cfg.test_dataloader)
    print(f'{"weights":<28} {"stream":<7} {"1-NN":>6} {"pair":>6} '
          f'{"errors":>6} {"partner":>8} {"rev":>6} {"1p":>6} {"2p":>6}')
    for checkpoint in args.checkpoints:
        model = build_model(cfg, checkpoint)
        for row in evaluate(extract(model, dataloader)):
            print(f'{checkpoint[-28:]:<28} {row["stream"]:<7} '
                  f'{100 * row["acc"]:6.1f} {100 * row["pair_acc"]:6.1f} '
                  f'{row["errors"]:6d} {100 * row["partner"]:7.0f}% '
                  f'{100 * row["rev"]:6.1f} {100 * row["1p"]:6.1f} '
                  f'{100 * row["2p"]:6.1f}')


if __name__ == '__main__':
    main()
