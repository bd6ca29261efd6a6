"""Score fusion through MMAction2's report_accuracy.py, and its checks."""
import sys

import pytest
import torch
from mmengine import dump

from cmd_plugin.analysis.score_fusion import (DumpMismatchError,
                                           check_same_samples, format_table,
                                           fusion_report)
from tests.conftest import run_tool

LABELS = [0, 1, 2, 0, 1, 2]
RIGHT = 0.6  # score of the true class where a stream is right


def scores(wrong_at, labels=LABELS):
    """Each sample's true class scores RIGHT; at ``wrong_at`` the stream
    prefers the next class by a small margin instead."""
    out = []
    for i, label in enumerate(labels):
        score = torch.full((3, ), 0.2)
        if i == wrong_at:
            score[label], score[(label + 1) % 3] = 0.35, 0.45
        else:
            score[label] = RIGHT
        out.append(score)
    return out


def write(path, score_list, labels=LABELS):
    dump([dict(pred_score=s, gt_label=torch.tensor([l]), num_classes=3)
          for s, l in zip(score_list, labels)], str(path))
    return str(path)


@pytest.fixture
def dumps(tmp_path):
    # each stream wrong on a different sample; their sum is right on all
    return [write(tmp_path / f'{name}.pkl', scores(i))
            for i, name in enumerate(('joint', 'motion', 'bone'))]


def test_each_stream_five_of_six_fusion_all(dumps):
    argv = list(sys.argv)
    rows = fusion_report(dumps)
    assert sys.argv == argv  # the shipped script's argv was put back
    assert [r['name'] for r in rows] == ['joint', 'motion', 'bone',
                                         'fusion']
    for row in rows[:3]:
        assert row['Top 1 Accuracy'] == pytest.approx(0.8333)
        assert row['Top 5 Accuracy'] == 1.0
        assert row['coefficient'] == 1.0
    assert rows[3]['Top 1 Accuracy'] == 1.0
    assert rows[3]['Mean Class Accuracy'] == 1.0


def test_coefficients_weight_the_streams(dumps):
    # joint alone: the fusion is joint's accuracy
    rows = fusion_report(dumps, [1, 0, 0])
    assert rows[3]['Top 1 Accuracy'] == pytest.approx(0.8333)
    # sample 0: joint 0.35 true vs 0.45 wrong; motion and bone at weight
    # 0.1 add 0.12 vs 0.04, short of the 0.1 gap: the fusion keeps joint's
    # mistake, which equal weights correct (test above)
    rows = fusion_report(dumps, [1, 0.1, 0.1])
    assert rows[3]['Top 1 Accuracy'] == pytest.approx(0.8333)
    assert [r['coefficient'] for r in rows] == [1, 0.1, 0.1, None]
    with pytest.raises(ValueError, match='2 coefficients for 3 dumps'):
        fusion_report(dumps, [1, 1])


def test_table_lists_streams_then_fusion(dumps):
    table = format_table(fusion_report(dumps)).splitlines()
    assert table[0].split() == ['stream', 'weight', 'top-1', 'top-5',
                                'mean', 'class']
    assert table[2].split()[:4] == ['joint', '1', '83.33', '100.00']
    assert table[-1].split()[:3] == ['fusion', '100.00', '100.00']


def test_length_and_order_mismatch(dumps, tmp_path):
    short = write(tmp_path / 'short.pkl', scores(0)[:5], LABELS[:5])
    with pytest.raises(DumpMismatchError, match='short.pkl has 5 samples'):
        check_same_samples([dumps[0], short])
    order = [1, 0, 2, 0, 1, 2]
    swapped = write(tmp_path / 'swapped.pkl', scores(0, order), order)
    with pytest.raises(DumpMismatchError) as err:
        fusion_report([dumps[0], swapped])
    assert 'sample 0: gt label [0]' in str(err.value)
    assert 'not the same samples in the same order' in str(err.value)
    junk = tmp_path / 'junk.pkl'
    dump({'acc': 1.0}, str(junk))
    with pytest.raises(DumpMismatchError, match='--dump'):
        check_same_samples([str(junk)])


def test_dump_written_like_tools_test(tmp_path):
    """tools/test.py --dump: ActionDataSample.to_dict() rows through
    MMEngine's DumpResults, as its Evaluator passes them."""
    from mmengine.evaluator import DumpResults

    from mmaction.structures import ActionDataSample

    paths = []
    for i, name in enumerate(('joint', 'bone')):
        metric = DumpResults(out_file_path=str(tmp_path / f'{name}.pkl'))
        samples = []
        for score, label in zip(scores(i), LABELS):
            sample = ActionDataSample().set_gt_label(label)
            sample.set_pred_score(score)
            samples.append(sample.to_dict())
        metric.process(None, samples)
        metric.compute_metrics(metric.results)
        paths.append(metric.out_file_path)
    rows = fusion_report(paths)
    assert rows[0]['Top 1 Accuracy'] == pytest.approx(0.8333)
    assert rows[-1]['Top 1 Accuracy'] == 1.0


def test_cli_prints_table_and_clear_errors(dumps, tmp_path):
    proc = run_tool(['tools/analysis_tools/report.py', 'fusion', '--preds',
                     *dumps, '--coefficients', '1', '1', '1'])
    lines = proc.stdout.splitlines()
    assert lines[-1].split()[:2] == ['fusion', '100.00']
    short = write(tmp_path / 'short.pkl', scores(0)[:5], LABELS[:5])
    with pytest.raises(AssertionError) as err:
        run_tool(['tools/analysis_tools/report.py', 'fusion', '--preds',
                  dumps[0], short])
    assert 'exited 1' in str(err.value)
    assert 'short.pkl has 5 samples' in str(err.value)
    assert 'Traceback' not in str(err.value)


def test_dumps_of_different_class_counts_are_refused(dumps, tmp_path):
    """Streams evaluated with 4 and 3 classes: said as such, not as numpy's
    'inhomogeneous shape'."""
    wider = write(tmp_path / 'wider.pkl',
                  [torch.cat([s, torch.zeros(1)]) for s in scores(0)])
    with pytest.raises(DumpMismatchError, match=r'wider.pkl scores 4 '
                       r'classes, .*joint.pkl scores 3'):
        fusion_report([dumps[0], wider])
