"""t-SNE map of each stream's features on a config's evaluation set.

    python tools/analysis_tools/embedding_tsne.py CONFIG CKPT --out emb.png \
        [--part query|reference|all] [--max-samples 2000] \
        [--class-names a b c | --class-names names.txt] [--cfg-options k=v]

CKPT ``random`` keeps the model's seeded random initialisation (the
baseline to compare a trained checkpoint with). Samples come from the
config's test_dataloader, a KNNEvalDataset: its query set by default (the
split kNN accuracy is measured on), spread evenly over it when more than
--max-samples.
"""
import argparse
import os.path as osp
import sys

from mmengine.config import Config, DictAction

from cmd_plugin.analysis.embedding_plot import plot_embeddings
from cmd_plugin.launch.settled_config import settle_config
from cmd_plugin.analysis.stream_features import (PARTS, build_model,
                                              class_names_of, collect,
                                              eval_part, pick)


def _class_names(given):
    if not given:
        return None
    if len(given) == 1 and osp.isfile(given[0]):
        with open(given[0]) as file:
            return [line.strip() for line in file if line.strip()]
    return given


def _title(args) -> str:
    weights = ('random init' if args.checkpoint == 'random' else
               osp.basename(args.checkpoint))
    part = dict(all='reference + query sets').get(args.part,
                                                  f'{args.part} set')
    return f'{osp.basename(args.config)}: {weights}, {part}'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint', help="a .pth, or 'random'")
    parser.add_argument('--out', required=True, help='PNG to write')
    parser.add_argument('--part', choices=PARTS, default='query')
    parser.add_argument('--max-samples', type=int, default=2000)
    parser.add_argument('--class-names', nargs='+',
                        help='names in class-index order, or a text file '
                        'with one per line')
    parser.add_argument('--seed', type=int, default=0,
                        help='t-SNE seed and random-init seed')
    parser.add_argument('--title')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    settle_config(cfg)
    try:
        dataset = eval_part(cfg, args.part)
        model = build_model(cfg, args.checkpoint, args.seed)
        features, labels = collect(
            model, dataset, pick(len(dataset), args.max_samples),
            cfg.test_dataloader.get('batch_size', 16))
        names = _class_names(args.class_names) or class_names_of(dataset)
        title = args.title or _title(args)
        plot_embeddings(features, labels, args.out, title=title,
                        class_names=names or None, random_state=args.seed)
    # checkpoint, data and class-name errors already say what to change
    except (ValueError, OSError, RuntimeError) as err:
        print(f'embedding_tsne: {err}', file=sys.stderr)
        return 1
    print(args.out)
    return 0


if __name__ == '__main__':
    sys.exit(main())
