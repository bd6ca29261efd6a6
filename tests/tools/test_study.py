"""The study runner's tables: rows, means and sds from a made-up work dir
(the runs themselves are the tools the end-to-end tests cover)."""
import json
import os
import os.path as osp

import torch
from mmengine import dump
from mmengine.config import Config

from study import Study, format_knn_table, format_table

SPEC = dict(
    methods=dict(
        cmd=dict(label='CMD', pretrain='p.py', linear='l-{stream}.py',
                 streams=['joint', 'motion'], random_init='random init'),
        scd=dict(label='SCD', pretrain='s.py', linear='s-{stream}.py',
                 streams=['joint'])),
    raw=dict(linear='r-{stream}.py', knn='p.py', streams=['joint']))


def _pretrain(work, name, seed, first, last):
    pre = work / name / f'seed{seed}' / 'pretrain'
    run = pre / '20260101_000000' / 'vis_data'
    run.mkdir(parents=True)
    run.joinpath('scalars.json').write_text('\n'.join(json.dumps(r) for r in (
        dict(step=0, **first), dict(step=1, loss=1.0), dict(step=2, **last))))
    (pre / 'wall_seconds.json').write_text(json.dumps(dict(seconds=120)))


def _scores(work, row, seed, stream, hits):
    """4 samples of labels 0-3, the first ``hits`` predicted right."""
    samples = []
    for label in range(4):
        score = torch.full((4, ), 0.1)
        score[label if label < hits else (label + 1) % 4] = 0.7
        samples.append(dict(pred_score=score, gt_label=torch.tensor([label])))
    path = work / row / f'seed{seed}' / 'scores' / f'{stream}.pkl'
    path.parent.mkdir(parents=True, exist_ok=True)
    dump(samples, str(path))


def _recording_run(calls):
    """A ``Study._run`` that records the command and leaves what
    ``tools/train.py`` leaves."""
    def run(cmd, log):
        calls.append(cmd)
        work = cmd[cmd.index('--work-dir') + 1]
        os.makedirs(work, exist_ok=True)
        with open(osp.join(work, 'last_checkpoint'), 'w') as f:
            f.write(osp.join(work, 'epoch_80.pth'))
    return run


def test_rows_means_and_missing_methods(tmp_path, capsys):
    for seed, hits in ((0, 2), (1, 4)):
        _pretrain(tmp_path, 'cmd', seed,
                  {'knn/joint': 0.5, 'knn/motion': 0.5, 'knn/fused': 0.5},
                  {'knn/joint': 0.7, 'knn/motion': 0.9, 'knn/fused': 0.8})
        for stream in ('joint', 'motion'):
            _scores(tmp_path, 'cmd', seed, stream, hits)
            _scores(tmp_path, 'cmd-random', seed, stream, 1)
        _scores(tmp_path, 'raw', seed, 'joint', 3)
    (tmp_path / 'raw' / 'knn_percent.json').write_text(
        json.dumps(dict(joint=60.0)))
    study = Study(Config(SPEC), str(tmp_path), threads=1)
    rows = study.collect([0, 1])
    assert [r['label'] for r in rows] == ['raw coordinates', 'random init',
                                          'CMD']  # SCD never ran
    assert 'scd left out' in capsys.readouterr().err
    table = format_table(rows, [0, 1]).splitlines()
    cmd = [c.strip() for c in table[4].split('|')[1:-1]]
    # 1-NN joint 70 both seeds; linear joint 50 and 100
    assert cmd[:3] == ['CMD', '2.0', '70.0 ± 0.0']
    assert cmd[5] == '80.0 ± 0.0'  # fused 1-NN
    assert cmd[6] == '75.0 ± 35.4'  # linear joint
    assert cmd[7] == '75.0 ± 35.4'  # linear motion
    assert cmd[8] == '–'  # no bone stream
    raw = [c.strip() for c in table[2].split('|')[1:-1]]
    assert raw[2] == '60.0' and raw[6] == '75.0 ± 0.0'


def test_jobs_put_pretraining_first_and_respect_only(tmp_path):
    study = Study(Config(SPEC), str(tmp_path), threads=1)
    assert len(study.jobs([0, 1])) == 2 * 2 + 2 + 1 + 2
    assert len(study.jobs([0, 1], only=['scd'])) == 2
    assert len(study.jobs([0], only=['raw'])) == 2


def test_infonce_column_is_the_mean_contrastive_term(tmp_path):
    """The last logged contrastive terms, CMD's distillation left out."""
    _pretrain(tmp_path, 'scd', 0, {'knn/joint': 0.5}, {'knn/joint': 0.6})
    log = next((tmp_path / 'scd' / 'seed0' / 'pretrain').glob(
        '*/vis_data/scalars.json'))
    log.write_text(log.read_text() + '\n' + json.dumps(dict(
        step=3, loss=9.0, loss_t_g=4.0, loss_g_s=5.0, loss_kd_a_to_b=30.0)))
    _scores(tmp_path, 'scd', 0, 'joint', 2)
    rows = Study(Config(SPEC), str(tmp_path), threads=1)._collect_method(
        'scd', [0])
    assert rows[-1]['infonce'] == [dict(infonce=4.5)]
    table = format_table(rows, [0]).splitlines()
    assert [c.strip() for c in table[2].split('|')[1:-1]][-1] == '4.5'


def test_infonce_min_skips_the_first_epoch(tmp_path):
    """The curve's lowest point, read where the queue holds real keys."""
    _pretrain(tmp_path, 'scd', 0, {'knn/joint': 0.5}, {'knn/joint': 0.6})
    log = next((tmp_path / 'scd' / 'seed0' / 'pretrain').glob(
        '*/vis_data/scalars.json'))
    curve = [(1, 1.0), (2, 4.0), (5, 3.0), (9, 4.2)]  # (epoch, loss_t_g)
    log.write_text(log.read_text() + '\n' + '\n'.join(json.dumps(dict(
        step=i, epoch=e, loss_t_g=v, loss_kd_a_to_b=0.1))
        for i, (e, v) in enumerate(curve, 1)))
    _scores(tmp_path, 'scd', 0, 'joint', 2)
    rows = Study(Config(SPEC), str(tmp_path), threads=1)._collect_method(
        'scd', [0])
    assert rows[-1]['infonce_min'] == [dict(infonce=3.0)]
    assert rows[-1]['infonce'] == [dict(infonce=4.2)]
    cells = [c.strip() for c in format_table(rows, [0]).splitlines()[2]
             .split('|')[1:-1]]
    assert cells[-2:] == ['3.0', '4.2']


def test_stream_placeholder_in_linear_options(tmp_path):
    """One linear config for every stream: '{stream}' in an option."""
    study = Study(Config(SPEC), str(tmp_path), threads=1)
    calls = []

    study._run = _recording_run(calls)
    study.linear('cmd', 0, 'one.py', ['joint', 'bone'], None,
                 ['model.stream={stream}'])
    streams = [c[c.index('--cfg-options') + 1] for c in calls]
    assert streams == ['model.stream=joint'] * 2 + ['model.stream=bone'] * 2


def test_another_probe_reads_and_writes_its_own_scores(tmp_path):
    """--probe: the same pretraining, the linear results kept apart."""
    seed = tmp_path / 'cmd' / 'seed0'
    for stream in ('joint', 'motion'):
        _scores(tmp_path, 'cmd', 0, stream, 4)  # the bn probe's: all right
        (seed / 'scores-bn').mkdir(exist_ok=True)
        (seed / 'scores' / f'{stream}.pkl').rename(
            seed / 'scores-bn' / f'{stream}.pkl')
        _scores(tmp_path, 'cmd', 0, stream, 1)  # the default probe's
    default = Study(Config(SPEC), str(tmp_path), threads=1)
    bn = Study(Config(SPEC), str(tmp_path), threads=1, probe='bn',
               probe_options=['model.cls_head.feature_norm=batchnorm'])
    assert default.linear_accuracy('cmd', 0, ['joint'])['joint'] == 25.0
    assert bn.linear_accuracy('cmd', 0, ['joint'])['joint'] == 100.0
    calls = []

    bn._run = _recording_run(calls)
    bn.linear('cmd', 0, 'l-{stream}.py', ['bone'], 'ckpt.pth', ['a=1'])
    train, test = calls[0], calls[1]
    assert 'linear-bn_bone' in train[train.index('--work-dir') + 1]
    assert train[train.index('--cfg-options') + 1:] == [
        'a=1', 'model.cls_head.feature_norm=batchnorm',
        'model.pretrained=ckpt.pth']
    assert test[test.index('--dump') + 1].endswith('scores-bn/bone.pkl')


def test_knn_only_table_of_config_variants(tmp_path):
    """--knn-only: the first variant's epoch 0 as random init, then each
    variant's last 1-NN, mean ± sd over seeds (the table knn_study.py
    printed)."""
    from study import methods_from_config
    spec = Config(dict(methods=methods_from_config(
        'p.py', ['cmd=', 'no-kd=model.distill_pairs=none'])))
    assert spec.methods['no-kd'].options == ['model.distill_pairs=none']
    for seed, (a, b) in enumerate([(0.7, 0.6), (0.9, 0.6)]):
        _pretrain(tmp_path, 'cmd', seed, {'knn/joint': 0.5},
                  {'knn/joint': a})
        _pretrain(tmp_path, 'no-kd', seed, {'knn/joint': 0.5},
                  {'knn/joint': b})
    study = Study(spec, str(tmp_path), threads=1)
    assert len(study.jobs([0, 1], knn_table=True)) == 4  # no linear runs
    table = format_knn_table(study.collect([0, 1], knn_table=True), [0, 1])
    assert table.splitlines()[1:] == [
        '2 seeds [0, 1], 1-NN accuracy (%) mean ± sd', '',
        '| | joint |', '|---|---|',
        '| random init (epoch 0) | 50.0 ± 0.0 |',
        '| cmd | 80.0 ± 14.1 |',
        '| no-kd | 60.0 ± 0.0 |']
