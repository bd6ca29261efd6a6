"""1-NN accuracy on raw coordinates: the floor any encoder should beat.

Uses the evaluation split and pipeline of a config (its test_dataloader,
a ``KNNEvalDataset``), derives each stream from the evaluation clip with
the function pretraining uses, flattens it into one vector and runs the
same cosine 1-NN as :class:`KNNAccuracy` -- per stream and fused.

    python tools/analysis_tools/knn_raw_coordinates.py CONFIG \
        [--streams joint motion bone] [--json OUT] [--cfg-options k=v]

Prints one line per stream and the fused streams (all three by default),
the numbers to quote beside a pretrained encoder's 1-NN; ``--json`` also
writes them as ``{stream: accuracy %}`` (the demo's raw column).
"""
import argparse
import json
from typing import Dict, Sequence

import torch
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope

import cmd_plugin  # noqa: F401
from cmd_plugin.skeleton.layouts import bone_parents, coordinate_dims
from cmd_plugin.evaluation.metrics import KNNAccuracy
from cmd_plugin.skeleton.modalities import to_modality
from cmd_plugin.launch.settled_config import settle_config
from mmaction.registry import DATASETS


def raw_coordinate_knn(cfg: Config, drop: tuple = (),
                       streams: Sequence[str] = ('joint', )
                       ) -> Dict[str, float]:
    """1-NN accuracy of flattened evaluation clips, per stream and, for
    more than one stream, ``'fused'``.

    Args:
        cfg (Config): A config whose test_dataloader is a KNNEvalDataset.
        drop (tuple[str]): Transform types to leave out of its pipelines.
        streams (Sequence[str]): Modalities derived from the clip.
    """
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    settle_config(cfg)
    knn_set = cfg.test_dataloader.dataset
    # the split form shares one pipeline, the reference/query form has two
    for node in (knn_set, knn_set.get('reference'), knn_set.get('query')):
        if isinstance(node, dict) and 'pipeline' in node:
            node.pipeline = [t for t in node.pipeline if t['type'] not in drop]
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    layout = dataset.reference.layout
    parents = torch.tensor(bone_parents(layout))
    # 2-D keypoints: the channel after x, y is a score, not a coordinate
    dims = coordinate_dims(layout)
    # every stream and, for several, their fusion ('fused' must be listed
    # once streams are named, or KNNAccuracy reports only the streams)
    metric = KNNAccuracy(streams=list(streams) + (['fused'] if len(streams)
                                                   > 1 else []))
    for index in range(len(dataset)):
        item = dataset[index]
        sample = item['data_samples']
        clip = item['inputs'].float()
        metric.process(None, [
            dict(knn_role=sample.metainfo['knn_role'],
                 gt_label=sample.gt_label,
                 stream_features={
                     s: to_modality(clip, s, parents, dims).reshape(-1)
                     for s in streams
                 })
        ])
    return metric.compute_metrics(metric.results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    parser.add_argument(
        '--drop',
        nargs='+',
        default=[],
        help='transform types to leave out, e.g. PreNormalize2sAGCN')
    parser.add_argument('--streams', nargs='+',
                        default=['joint', 'motion', 'bone'],
                        choices=['joint', 'motion', 'bone'])
    parser.add_argument('--json', help='also write {stream: accuracy %%}')
    args = parser.parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    settle_config(cfg)
    accuracy = raw_coordinate_knn(cfg, tuple(args.drop), args.streams)
    for name, value in accuracy.items():
        print(f'raw-coordinate 1-NN accuracy, {name}: {100 * value:.1f}%')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({k: 100 * v for k, v in accuracy.items()}, f, indent=1)


if __name__ == '__main__':
    main()
