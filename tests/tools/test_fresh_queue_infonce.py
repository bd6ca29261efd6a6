"""fresh_queue_infonce.py: InfoNCE against keys of the end key encoder."""
import math
import os
import sys

import torch
import torch.nn.functional as F

from tests.conftest import run_tool

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..',
                                'tools', 'analysis_tools'))
from fresh_queue_infonce import infonce_among  # noqa: E402


def test_instance_discrimination_solved_and_not():
    g = torch.Generator().manual_seed(0)
    q = F.normalize(torch.randn(200, 64, generator=g), dim=1)
    # keys equal to their queries, other rows nearly orthogonal: near 0
    assert infonce_among(q, q, 50, 0.07) < 0.05
    # keys unrelated to the queries: the positive is one more negative
    k = F.normalize(torch.randn(200, 64, generator=g), dim=1)
    assert abs(infonce_among(q, k, 50, 1.0) - math.log(51)) < 0.05
    # the negatives are other rows' keys, never the row's own
    assert infonce_among(q, q, 199, 0.07) < 0.05


def test_cli_on_a_checkpoint(synthetic_pkl, tmp_path):
    work = tmp_path / 'pretrain'
    env = dict(CMD_DEMO_ANN_FILE=synthetic_pkl)
    run_tool(['tools/train.py', 'tests/configs/cmd_tiny_synthetic.py',
              '--work-dir', str(work), '--cfg-options',
              'train_cfg.max_epochs=1'], env)
    proc = run_tool(['tools/analysis_tools/fresh_queue_infonce.py',
                     'tests/configs/cmd_tiny_synthetic.py',
                     str(work / 'epoch_1.pth'), '--queue-size', '40'], env)
    lines = [line for line in proc.stdout.splitlines()
             if line.startswith('fresh-queue InfoNCE')]
    assert [line.split(',')[1].split(':')[0].strip() for line in lines] == \
        ['joint', 'motion', 'bone']
    # 80 training clips, batch 8: 40 negatives, chance ln 41
    assert all(f'of chance {math.log(41):.3f}' in line for line in lines)
