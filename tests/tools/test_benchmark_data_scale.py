"""tools/benchmarks/benchmark_data_scale.py: a Kinetics-shaped 2-D pickle
in, sizes, memory and clips/s out."""
import importlib.util
import json
import os.path as osp

import pytest

from tests.conftest import ROOT, run_tool

TOOL = 'tools/benchmarks/benchmark_data_scale.py'
MIB = 2**20


def _load_tool():
    spec = importlib.util.spec_from_file_location(
        'benchmark_data_scale', osp.join(ROOT, TOOL))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_protocol_pipeline_gets_the_2d_head():
    tool = _load_tool()
    train, val = tool.load_pipelines('protocol')
    for pipeline in (train, val):
        types = [step['type'] for step in pipeline]
        assert 'PreNormalizeSkeleton' not in types
        assert types[:2] == ['PreNormalizeImage2D', 'AppendKeypointScore']
        assert types[-1] == 'PackActionInputs'
    assert 'MultiView' in [step['type'] for step in train]
    with pytest.raises(ValueError, match='no PreNormalizeSkeleton'):
        tool.with_2d_head([dict(type='FormatGCNInput')])


def test_fit_extrapolates_a_line_or_from_the_baseline():
    tool = _load_tool()
    two = tool.fit([1000, 2000], [110.0, 210.0], 240000)
    assert two['per_1k_clips'] == pytest.approx(100)
    assert two['at_0'] == pytest.approx(10)
    assert two['at_target'] == pytest.approx(24010)
    one = tool.fit([1000], [110.0], 240000, base=10.0)
    assert one['at_target'] == pytest.approx(24010)
    assert tool.fit([1000], [110.0], 240000) is None  # no baseline
    assert tool.fit([1000, 2000], [None, None], 240000) is None


def test_smaps_reads_this_process():
    mem = _load_tool().smaps()
    if mem is None:
        pytest.skip('no /proc/self/smaps_rollup here')
    assert 0 < mem['uss'] <= mem['rss']
    assert 0 < mem['pss'] <= mem['rss'] + 1e-6
    assert 0 <= mem['pss_anon'] <= mem['pss'] + 1e-6


def test_rejects_bad_arguments():
    tool = _load_tool()
    for argv in (['--clips', '0'], ['--frames', '0'], ['--workers', '-1'],
                 ['--val-ratio', '1.5']):
        with pytest.raises(SystemExit):
            tool.parse_args(argv)
    assert tool.parse_args(['--clips', '20', '10']).clips == [10, 20]


def test_dry_run_prints_the_table_and_plausible_numbers(tmp_path):
    out = tmp_path / 'scale.json'
    clips, frames, persons = 50, 20, 2
    proc = run_tool([
        TOOL, '--clips', str(clips), '--frames', str(frames), '--workers',
        '1', '--repeats', '1', '--samples', '20', '--worker-samples', '8',
        '--out', str(out)], timeout=300)
    text = proc.stdout
    assert '| quantity | unit | 50 train clips |' in text
    assert 'at 240000 (extrapolated)' in text
    assert '| pickle size | MiB |' in text
    assert '| worker USS (private: what it adds) | MiB |' in text
    assert '| protocol | 1 | (2, 2, 64, 17, 3) |' in text

    result = json.loads(out.read_text())
    row = result['sizes'][str(clips)]
    val = round(clips * 0.083)
    assert row['total_clips'] == clips + val
    # float16 keypoint (x, y) + float16 score per person, frame and joint
    arrays = persons * frames * 17 * (2 * 2 + 2)
    assert row['array_bytes_per_clip'] == arrays
    assert arrays <= row['bytes_per_clip'] < 2 * arrays
    assert row['file_mib'] * MIB == pytest.approx(
        row['total_clips'] * row['bytes_per_clip'])
    # the train split, serialized: about its share of the file
    assert 0.5 < row['buffer_mib'] * MIB / (clips * arrays) < 2
    assert 0.5 < row['knn_buffer_mib'] * MIB / (
        (clips + val) * arrays) < 2
    assert row['load_s'] > 0 and row['build_s'] > 0
    assert row['peak_rss_build_mib'] >= row['rss_imports_mib'] > 0
    assert row['rss_after_knn_mib'] >= row['rss_after_build_mib'] * 0.9
    for key in ('worker_rss_mib', 'worker_pss_mib', 'worker_uss_mib'):
        assert row[key] is not None and row[key] > 0
    assert row['worker_uss_mib'] <= row['worker_rss_mib']
    raw = result['raw'][str(clips)]['rank'][0]
    assert len(raw['worker_smaps']) == 1
    assert raw['worker_clips'] == 8

    # one size: sizes and times extrapolate from 0, workers need two sizes
    ex = result['extrapolated']
    assert ex['file_mib']['at_target'] == pytest.approx(
        row['file_mib'] / clips * 240000)
    assert ex['worker_uss_mib'] is None

    pipe = result['throughput']['protocol']
    assert pipe['input_shape'] == [2, 2, 64, 17, 3]
    assert 0 < pipe['clips_per_s'] and 0 < pipe['clips_per_cpu_s']
    steps = list(pipe['step_ms'])
    assert steps[:3] == ['record', 'PreNormalizeImage2D',
                         'AppendKeypointScore']
    assert 'PreNormalizeSkeleton' not in steps


def test_dry_run_of_a_keypoint_store(tmp_path):
    out = tmp_path / 'store.json'
    clips, frames, persons = 50, 20, 2
    run_tool([TOOL, '--format', 'store', '--clips', str(clips), '--frames',
              str(frames), '--workers', '1', '--repeats', '1', '--samples',
              '20', '--worker-samples', '8', '--out', str(out)],
             timeout=300)
    result = json.loads(out.read_text())
    row = result['sizes'][str(clips)]
    arrays = persons * frames * 17 * (2 * 2 + 2)
    # the array file holds the keypoints; the table of contents is small
    assert arrays <= row['bytes_per_clip'] < 1.5 * arrays
    # a rank serialises the table of contents only
    assert row['buffer_mib'] * MIB < 0.2 * clips * arrays
    assert row['knn_buffer_mib'] * MIB < 0.2 * clips * arrays
    assert result['raw'][str(clips)]['rank'][0]['worker_clips'] == 8
    pipe = result['throughput']['protocol']
    assert pipe['input_shape'] == [2, 2, 64, 17, 3]
    assert pipe['step_ms']['record'] > 0
