"""The device check runs end to end in its dry mode on a CPU, so the one
command meant for a lent GPU cannot rot before a GPU is there."""
import json

from tests.conftest import run_tool


def test_device_check_dry_mode_writes_every_part(tmp_path):
    out = tmp_path / 'check'
    run_tool(['bash', 'tools/benchmarks/device_check.sh', str(out),
              '--dry'], timeout=600)
    report = json.loads((out / 'device_check.json').read_text())
    assert report['env']['torch']
    assert report['ddp']['ddp_1_process'] == 'ok'
    # the two GRU implementations agree from the same weights
    assert report['gru']['gru_max_output_diff'] < 1e-4
    assert report['gru']['gru_max_grad_diff'] < 1e-3
    steps = report['steps']
    assert set(steps) == {f'{m}_{p}' for m in ('cmd-gru', 'cmd-stgcn',
                                               'scdnet')
                          for p in ('fp32', 'amp')}
    for name, row in steps.items():
        assert 'failed' not in row, name
        assert row['step_time_s'] > 0 and row['peak_mib'] > 0
    assert report['loader']['loader_clips_per_s']['workers_0'] > 0
    assert any('current' in line for line in report['knn'])
    table = (out / 'device_check.md').read_text()
    assert '| scdnet_amp |' in table and 'clips/s' in table
