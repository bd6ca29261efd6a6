"""Analytic GEMM FLOP counts of CMD's training step (2 FLOP per
multiply-add; gate arithmetic, BatchNorm, softmax, top-k, EMA and
optimizer updates are real work but not counted). The method is in
``docs/benchmarks_gru.md``."""
from typing import Dict


def linear_flops(in_features: int, out_features: int, rows: int) -> int:
    """FLOPs of ``rows`` (in_features -> out_features) products."""
    return 2 * rows * in_features * out_features


def gru_forward_flops(num_features: int, hidden: int, layers: int,
                      frames: int, batch: int) -> int:
    """GEMM FLOPs of one paired-GRU encoder forward (2 cells per layer).

    Per sample, frame, layer and cell: the input product (I_l -> 3H) and
    the hidden product (H -> 3H), with I_1 = ``num_features`` and
    I_l = 2H above (the two cells' outputs concatenated).

    Args:
        num_features (int): Per-frame input features V*C*M.
        hidden (int): Hidden size H of each cell.
        layers (int): Number of paired layers.
        frames (int): T.
        batch (int): N.

    Returns:
        int: FLOPs.
    """
    total = 0
    for layer in range(layers):
        in_size = num_features if layer == 0 else 2 * hidden
        total += 2 * linear_flops(in_size + hidden, 3 * hidden,
                                  frames * batch)
    return total


def encoder_step_flops(encoder_forward: int) -> Dict[str, int]:
    """Forward + backward of one encoder: backward is 2x forward (dX and
    dW of every product; layer 1's dX feeds BatchNorm's affine grads)."""
    return {'encoders': 3 * encoder_forward, 'total': 3 * encoder_forward}


def cmd_step_flops(encoder_forward: int, neck_forward: int, batch: int,
                   feat_dim: int, queue_size: int, num_modalities: int = 3,
                   num_pairs: int = 6) -> Dict[str, int]:
    """Counted FLOPs of one CMD training step, by part.

    Per modality: the query encoder and head forward + backward (3x
    forward) and the EMA key encoder and head forward (1x). Loss side,
    with one similarity product (N, D) @ (D, K) per term: InfoNCE q.Q
    forward and dq per modality; per distilled pair k.Q forward and q.Q
    forward and dq.

    Args:
        encoder_forward (int): FLOPs of one backbone forward.
        neck_forward (int): FLOPs of one projection-head forward.
        batch (int): N.
        feat_dim (int): Embedding size D.
        queue_size (int): Keys per queue K.
        num_modalities (int): Modalities. Defaults to 3.
        num_pairs (int): Distilled (teacher, student) pairs. Defaults to 6.

    Returns:
        dict[str, int]: 'encoders', 'necks', 'losses' and 'total'.
    """
    sim = linear_flops(feat_dim, queue_size, batch)
    parts = {
        'encoders': num_modalities * (3 + 1) * encoder_forward,
        'necks': num_modalities * (3 + 1) * neck_forward,
        'losses': num_modalities * 2 * sim + num_pairs * 3 * sim,
    }
    parts['total'] = sum(parts.values())
    return parts
