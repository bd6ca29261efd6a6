"""tools/benchmarks/benchmark_pretrain.py: configs in, table out."""
import importlib.util
import json
import os.path as osp

import pytest

from cmd_plugin.analysis.flops import (cmd_step_flops, gru_forward_flops,
                                    linear_flops)
from tests.conftest import ROOT, run_tool

TOOL = 'tools/benchmarks/benchmark_pretrain.py'
CONFIG = 'configs/cmd/cmd_gru_1xb64-451e_ntu60-xsub-keypoint-3d.py'
# GRU hidden 8 (2H = 16 into the head), queue 16: seconds per step.
TINY = ['model.backbone.hidden_size=8', 'model.neck.in_channels=16',
        'model.neck.hid_channels=16', 'model.queue_size=16']


def _load_tool():
    spec = importlib.util.spec_from_file_location(
        'benchmark_pretrain', osp.join(ROOT, TOOL))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_variants_and_overrides_reach_the_config():
    bench = _load_tool()
    args = bench.parse_args([
        CONFIG, '--cfg-options', *TINY, '--variant', 'seq=',
        '--variant', 'frame=model.backbone.type=FrameLoopGRUEncoder,'
        'model.backbone.num_layers=2'])
    assert [v[0] for v in args.variants] == ['seq', 'frame']
    name, config, options = args.variants[1]
    assert config == CONFIG
    cfg, notes = bench.load_cfg(config, args.cfg_options, options)
    assert cfg.model.backbone.type == 'FrameLoopGRUEncoder'
    assert cfg.model.backbone.num_layers == 2
    assert cfg.model.queue_size == 16
    # top-k is left to the model: half of whatever queue it gets
    assert 'topk' not in cfg.model.distill_loss and not notes
    cfg, notes = bench.load_cfg(
        config, args.cfg_options, {'model.distill_loss.topk': 4})
    assert cfg.model.distill_loss.topk == 4 and not notes


def test_a_variant_may_name_another_config():
    other = 'configs/cmd/cmd_stgcn_8xb8-451e_ntu60-xsub-keypoint-3d.py'
    args = _load_tool().parse_args(
        [CONFIG, '--variant', 'gru=', '--variant', f'stgcn@{other}=a=1'])
    assert args.variants == [('gru', CONFIG, {}), ('stgcn', other, {'a': 1})]


def test_rejects_malformed_and_duplicate_variants():
    bench = _load_tool()
    with pytest.raises(SystemExit):
        bench.parse_args([CONFIG, '--variant', 'no-equals-sign'])
    with pytest.raises(SystemExit):
        bench.parse_args([CONFIG, '--variant', 'a=', '--variant', 'a='])


def test_end_to_end_prints_the_table(tmp_path):
    out = tmp_path / 'bench.json'
    proc = run_tool([
        TOOL, CONFIG, '--cfg-options', *TINY, '--batch-size', '4',
        '--clip-len', '8', '--repeats', '1', '--warmup', '0',
        '--gemm-size', '32', '--variant', 'seq=',
        '--variant', 'frame=model.backbone.type=FrameLoopGRUEncoder',
        '--out', str(out)])
    text = proc.stdout
    assert '| variant | runs | step s (median) |' in text
    assert '| seq | 1 |' in text and '| frame | 1 |' in text
    assert '| frame / seq |' in text
    assert 'GEMM reference (32^2' in text
    assert 'input (4, 2, 2, 8, 25, 3)' in text

    result = json.loads(out.read_text())
    enc = gru_forward_flops(25 * 3 * 2, 8, 3, 8, 4)
    neck = linear_flops(16, 16, 4) + linear_flops(16, 128, 4)
    want = cmd_step_flops(enc, neck, 4, 128, 16)
    for record in result['records']:
        assert record['flops'] == want
        assert record['step_time_s'] > 0 and record['peak_mib'] > 0
    assert len(result['gemm_probes']) == 3


def test_scdnet_step_sizes_from_its_encoder_and_counted_flops(
        synthetic_pkl, monkeypatch):
    """SCD-Net's trunk gives the persons, its encoder the clip length (both
    from the data); torch's counter gives FLOPs linear in N."""
    import torch
    monkeypatch.setenv('CMD_DEMO_ANN_FILE', synthetic_pkl)
    tool = _load_tool()
    config = 'configs/scdnet/scdnet_ctrgcn-tiny_1xb32-20e_synthetic.py'
    counted = {}
    for batch in (2, 4):
        args = tool.parse_args([osp.join(ROOT, config), '--batch-size',
                                str(batch), '--cfg-options',
                                'model.queue_size=16'])
        args.worker = '0'
        _, flops, shape = tool.build_step(args, torch.device('cpu'))
        assert shape == (batch, 2, 2, 32, 25, 3)
        assert flops['source'] == 'torch.utils.flop_counter'
        counted[batch] = flops['total']
    assert counted[2] > 0 and counted[4] == 2 * counted[2]
