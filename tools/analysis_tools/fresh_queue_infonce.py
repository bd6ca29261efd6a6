"""InfoNCE of a pretrained CMD model against a queue refilled by its own
final key encoder: the contrastive loss that stale queue keys cannot fake.

    python tools/analysis_tools/fresh_queue_infonce.py CONFIG CKPT \
        [--queue-size K] [--seed 0] [--cfg-options k=v]

During pretraining the queue holds keys of older encoders; while the
encoder drifts fast (a high lr) those keys are easy negatives and the
logged InfoNCE sits below what the model can do against fresh ones. Here
one pass over the training split goes through the training pipeline (two
views per clip): queries from view 0 by the query encoders, keys from
view 1 by the key encoders, both in training mode (BatchNorm on batch
statistics, as in pretraining), with no gradient, EMA or enqueue. Clip i's
loss has k_i as its positive and K keys of other clips of the same pass as
negatives (K = the model's queue size, at most clips - 1), at the model's
temperature; chance is ln(K + 1). CKPT ``random`` measures the seeded
initialisation.
"""
import argparse
import math
from typing import Dict

import torch
import torch.nn.functional as F
from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from cmd_plugin.analysis.stream_features import build_model
from cmd_plugin.launch.settled_config import settle_config


@torch.no_grad()
def fresh_queue_infonce(cfg: Config, checkpoint: str,
                        queue_size: int = None,
                        seed: int = 0) -> Dict[str, Dict[str, float]]:
    """{stream: {'infonce', 'chance', 'negatives'}} of one training pass."""
    model = build_model(cfg, checkpoint, seed).train()
    if not hasattr(model, 'modalities'):
        raise ValueError(
            f'{type(model).__name__}: fresh_queue_infonce measures CMD-style '
            'models (one query and one key encoder per stream)')
    loader_cfg = dict(cfg.train_dataloader, num_workers=0,
                      persistent_workers=False)
    torch.manual_seed(seed)
    loader = Runner.build_dataloader(loader_cfg, seed=seed)
    queries = {m: [] for m in model.modalities}
    keys = {m: [] for m in model.modalities}
    for data in loader:
        views = model.data_preprocessor(data, True)['inputs']
        for m in model.modalities:
            queries[m].append(
                model._embed(model.query_encoders[m], views[:, 0], m))
            keys[m].append(
                model._embed(model.key_encoders[m], views[:, 1], m))
    tau = model.contrast_loss.temperature
    out = {}
    for m in model.modalities:
        q, k = torch.cat(queries[m]), torch.cat(keys[m])
        num_neg = min(queue_size or model.queue_size, len(q) - 1)
        out[m] = dict(infonce=infonce_among(q, k, num_neg, tau, seed),
                      chance=math.log(num_neg + 1), negatives=num_neg)
    return out


def infonce_among(q: torch.Tensor, k: torch.Tensor, num_neg: int,
                  tau: float, seed: int = 0) -> float:
    """Mean InfoNCE of rows q_i with positive k_i and ``num_neg`` keys of
    other rows, drawn at random per row, as negatives."""
    n = len(q)
    g = torch.Generator().manual_seed(seed)
    # K other rows per row: the top-K of random scores, self excluded
    scores = torch.rand(n, n, generator=g)
    scores.fill_diagonal_(-1.0)
    negatives = scores.topk(num_neg, dim=1).indices
    l_pos = (q * k).sum(1, keepdim=True)
    l_neg = torch.gather(q @ k.T, 1, negatives)
    logits = torch.cat([l_pos, l_neg], 1) / tau
    return F.cross_entropy(logits, logits.new_zeros(
        n, dtype=torch.long)).item()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint', help="a .pth, or 'random'")
    parser.add_argument('--queue-size', type=int, default=None,
                        help='negatives per clip (default: model.queue_size)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    settle_config(cfg)
    result = fresh_queue_infonce(cfg, args.checkpoint, args.queue_size,
                                 args.seed)
    for m, r in result.items():
        print(f'fresh-queue InfoNCE, {m}: {r["infonce"]:.3f} of chance '
              f'{r["chance"]:.3f} ({100 * r["infonce"] / r["chance"]:.0f}%, '
              f'{r["negatives"]} negatives)')


if __name__ == '__main__':
    main()
