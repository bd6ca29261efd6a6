"""FLOP accounting of the benchmark, on sizes counted by hand."""
from cmd_plugin.analysis.flops import (cmd_step_flops, encoder_step_flops,
                                    gru_forward_flops, linear_flops)


def test_linear_flops_two_per_multiply_add():
    # 2 rows of a 3 -> 4 product: 2 * 3 * 4 multiply-adds.
    assert linear_flops(3, 4, 2) == 48


def test_gru_forward_flops_by_hand():
    # One layer, I = 2, H = 1, one frame, one sample: per cell 3 gates x
    # (2 input + 1 hidden) multiply-adds = 9, two cells = 18 -> 36 FLOPs.
    assert gru_forward_flops(2, 1, 1, 1, 1) == 36
    # Layer 2 reads the 2H = 2 concatenated outputs: again 36.
    assert gru_forward_flops(2, 1, 2, 1, 1) == 72
    # Linear in frames and batch.
    assert gru_forward_flops(2, 1, 2, 3, 2) == 72 * 6
    # H = 2, I = 1: per cell 3H (I + H) = 18 multiply-adds.
    assert gru_forward_flops(1, 2, 1, 1, 1) == 2 * 2 * 18


def test_encoder_step_is_three_forwards():
    assert encoder_step_flops(10) == {'encoders': 30, 'total': 30}


def test_cmd_step_flops_by_hand():
    parts = cmd_step_flops(encoder_forward=10, neck_forward=1, batch=1,
                           feat_dim=2, queue_size=3)
    # 3 modalities x (3 query + 1 key) forwards.
    assert parts['encoders'] == 120
    assert parts['necks'] == 12
    # One (1, 2) @ (2, 3) similarity = 12 FLOPs; 3 x 2 InfoNCE + 6 x 3
    # distillation products.
    assert parts['losses'] == 12 * (3 * 2 + 6 * 3) == 288
    assert parts['total'] == 420
    no_pairs = cmd_step_flops(10, 1, 1, 2, 3, num_modalities=1,
                              num_pairs=0)
    assert no_pairs == {'encoders': 40, 'necks': 4, 'losses': 24,
                        'total': 68}


def test_published_size_matches_the_documented_counts():
    # docs/benchmarks_gru.md: N = T = 64, NTU (I = 150), H = 1024, 3
    # layers, head 2048-2048-128, queue 16384.
    enc = gru_forward_flops(150, 1024, 3, 64, 64)
    assert enc == 368_327_000_064
    neck = linear_flops(2048, 2048, 64) + linear_flops(2048, 128, 64)
    parts = cmd_step_flops(enc, neck, batch=64, feat_dim=128,
                           queue_size=16384)
    assert parts == {'encoders': 4_419_924_000_768,
                     'necks': 6_845_104_128,
                     'losses': 6_442_450_944,
                     'total': 4_433_211_555_840}
