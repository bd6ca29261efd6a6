"""The demo's table and its bars, on a made-up work dir."""
import json
import os
import subprocess
import sys

import torch
from mmengine import dump

from tests.conftest import ROOT

TOOL = os.path.join(ROOT, 'tools', 'analysis_tools', 'report.py')
STREAMS = ('joint', 'motion', 'bone')


def _scalars(work, random_fused, cmd_fused):
    run = work / 'pretrain' / '20260101_000000' / 'vis_data'
    run.mkdir(parents=True)
    records = [
        dict(step=0, **{f'knn/{s}': 0.5 for s in STREAMS},
             **{'knn/fused': random_fused}),
        dict(step=1, iter=1, loss=1.0),
        dict(step=20, **{f'knn/{s}': 0.6 for s in STREAMS},
             **{'knn/fused': cmd_fused}),
    ]
    (run / 'scalars.json').write_text(
        '\n'.join(json.dumps(r) for r in records))


def _dumps(work, right):
    """4 samples, labels 0-3; stream s of init i is right on right[i][s]."""
    (work / 'scores').mkdir()
    for init, per_stream in right.items():
        for stream, hits in zip(STREAMS, per_stream):
            samples = []
            for label in range(4):
                score = torch.full((4, ), 0.1)
                score[label if label < hits else (label + 1) % 4] = 0.7
                samples.append(dict(pred_score=score,
                                    gt_label=torch.tensor([label])))
            dump(samples, str(work / 'scores' / f'{init}_{stream}.pkl'))


def _run(work, *args):
    return subprocess.run([sys.executable, TOOL, 'demo', str(work), *args],
                          capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=ROOT))


def test_table_and_bars(tmp_path):
    _scalars(tmp_path, random_fused=0.5, cmd_fused=0.8)
    _dumps(tmp_path, dict(random=(1, 1, 1), cmd=(4, 3, 4)))
    proc = _run(tmp_path, '--min-gain', '10')
    assert proc.returncode == 0, proc.stderr[-2000:]
    fused = [line for line in proc.stdout.splitlines()
             if line.startswith('fused ')][0].split()
    # 1-NN 50 -> 80 (+30); linear fusion 25 -> 100 (+75); no raw results
    assert fused[1:] == ['50.0', '80.0', '+30.0', '-',
                         '25.0', '100.0', '+75.0', '-']
    joint = [line for line in proc.stdout.splitlines()
             if line.startswith('joint ')][0].split()
    assert joint[5:] == ['25.0', '100.0', '+75.0', '-']
    proc = _run(tmp_path, '--min-gain', '40')
    assert proc.returncode == 1
    assert 'FAILED: fused 1-NN gains 30.0 points' in proc.stdout


def test_raw_coordinate_column(tmp_path):
    _scalars(tmp_path, random_fused=0.5, cmd_fused=0.8)
    _dumps(tmp_path, dict(random=(1, 1, 1), cmd=(4, 3, 4), raw=(2, 2, 3)))
    (tmp_path / 'raw_knn.json').write_text(json.dumps(
        dict(joint=61.0, motion=62.5, bone=63.0, fused=70.0)))
    proc = _run(tmp_path, '--min-gain', '10')
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = {line.split()[0]: line.split()[1:]
            for line in proc.stdout.splitlines()
            if line.split() and line.split()[0] in STREAMS + ('fused', )}
    assert rows['joint'][3] == '61.0' and rows['fused'][3] == '70.0'
    # raw linear: joint right on 2 of 4 samples
    assert rows['joint'][7] == '50.0'
