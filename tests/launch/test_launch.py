"""run_mmaction_tool's checks, one process, no training."""
import pytest

from cmd_plugin.launch import tool as launch


def _config(tmp_path, body):
    path = tmp_path / 'cfg.py'
    path.write_text(body)
    return str(path)


@pytest.mark.parametrize('rank', ['0', '1'])
def test_missing_data_stops_every_rank_only_rank_zero_prints(
        tmp_path, monkeypatch, capsys, rank):
    config = _config(tmp_path, "train_dataloader = dict(dataset=dict("
                     "ann_file='data/ntu60_3d.pkl'))\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv('RANK', rank)
    monkeypatch.delenv(launch.CHECKED_ENV, raising=False)
    with pytest.raises(SystemExit) as exc:
        launch.check_data('train.py', [config, '--launcher', 'pytorch'])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    if rank == '0':
        assert err.count('does not exist') == 1
        assert 'ntu_to_pkl.py' in err
    else:
        assert err == ''
    # tools/dist_*.sh checked before torchrun: the ranks do not again
    monkeypatch.setenv(launch.CHECKED_ENV, '1')
    launch.check_data('train.py', [config])


@pytest.mark.parametrize('rank', ['0', '1'])
def test_sync_bn_becomes_plain_batchnorm_without_cuda(
        tmp_path, monkeypatch, capsys, rank):
    config = _config(tmp_path, "sync_bn = 'torch'\n")
    monkeypatch.setenv('WORLD_SIZE', '2')
    monkeypatch.setenv('RANK', rank)
    monkeypatch.setattr(launch.torch.cuda, 'is_available', lambda: False)
    monkeypatch.setattr(launch.torch_dist, 'is_initialized', lambda: True)
    argv = launch.prepare_cpu_distributed([config, '--launcher', 'pytorch'])
    assert argv[-3:] == ['--cfg-options', launch._WRAPPER_OPTION,
                         'sync_bn=None']
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == (1 if rank == '0' else 0)
    if lines:
        assert "sync_bn='torch' needs CUDA" in lines[0]
    # a later --cfg-options wins in MMAction2's parser; None needs nothing
    argv = launch.prepare_cpu_distributed(
        [config, '--launcher', 'pytorch', '--cfg-options', 'sync_bn=None'])
    assert argv.count('sync_bn=None') == 1


@pytest.mark.parametrize('body,seeded', [
    ('randomness = dict(seed=0)\n', 3),  # MMAction2 alone would keep 0
    ('model = dict()\n', None),  # no randomness: MMAction2 applies --seed
])
def test_seed_on_the_command_line_wins_over_the_config(tmp_path, body,
                                                       seeded):
    from cmd_plugin.launch.preflight import load_command_config
    config = _config(tmp_path, body)
    argv = launch.honour_seed([config, '--seed', '3'])
    _, cfg = load_command_config('train', argv)
    assert cfg.get('randomness', {}).get('seed') == seeded
    # an explicit randomness.seed is the user's choice: left alone
    explicit = [config, '--seed', '3', '--cfg-options', 'randomness.seed=5']
    assert launch.honour_seed(explicit) == explicit
