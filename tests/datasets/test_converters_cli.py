"""Command-line behaviour shared by the converters: output checks before
any work, argument validation, empty splits, documented paths."""
import re
import runpy

import pytest

from cmd_plugin.converters import NTUConverter
from tests.datasets.helpers import TOOLS_DATA, tool_main
from tests.datasets.test_converters_ntu import one_body, write

ROOT = TOOLS_DATA.parents[1]
SCRIPTS = ('ntu_to_pkl.py', 'pku_to_pkl.py', 'ucla_to_pkl.py',
           'sbu_to_pkl.py', 'penn_to_pkl.py', 'make_synthetic.py',
           'project_to_2d.py', 'make_keypoint_store.py')
# read by configs, made by no converter here: MMAction2's 2-D downloads;
# their dataset blocks say where they come from
NOT_CONVERTED = {
    'data/skeleton/ntu60_2d.pkl': 'download.openmmlab.com',
    'data/skeleton/ntu120_2d.pkl': 'download.openmmlab.com',
}


def test_out_directory_is_refused_before_any_work(tmp_path, capsys):
    # --src does not exist: the --out error must come first, on its own.
    main = tool_main('ntu_to_pkl.py')
    status = main(['--src', str(tmp_path / 'nowhere'), '--out',
                   str(tmp_path), '--no-progress'])
    assert status == 2
    printed = capsys.readouterr().out.strip().splitlines()
    assert printed == [
        f'error: --out {tmp_path}: is a directory; give a file name '
        'inside it'
    ]


@pytest.mark.parametrize('script', ['ucla_to_pkl.py', 'make_synthetic.py'])
def test_out_under_a_file_is_refused(tmp_path, capsys, script):
    (tmp_path / 'src').mkdir()
    blocker = tmp_path / 'blocker'
    blocker.write_text('')
    argv = ['--out', str(blocker / 'x.pkl')]
    if script != 'make_synthetic.py':
        argv += ['--src', str(tmp_path / 'src')]
    assert tool_main(script)(argv) == 2
    assert capsys.readouterr().out.startswith(
        f'error: --out {blocker}/x.pkl: {blocker} is a file')


def test_unwritable_report_means_nothing_is_written(tmp_path, capsys):
    src = tmp_path / 'src'
    src.mkdir()
    write(src, 'S001C002P002R001A001', one_body())
    out = tmp_path / 'ntu.pkl'
    blocker = tmp_path / 'blocker'
    blocker.write_text('')
    status = tool_main('ntu_to_pkl.py')([
        '--src',
        str(src), '--out',
        str(out), '--report',
        str(blocker / 'r.json'), '--no-progress', '--allow-empty-splits'
    ])
    assert status == 2
    assert '--report' in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ['blocker', 'src']


@pytest.mark.parametrize('value', ['-1', '0'])
def test_max_bodies_below_one_is_an_argument_error(tmp_path, capsys, value):
    with pytest.raises(SystemExit) as info:
        tool_main('ntu_to_pkl.py')([
            '--src',
            str(tmp_path), '--out',
            str(tmp_path / 'x.pkl'), '--max-bodies', value
        ])
    assert info.value.code == 2
    assert (f'--max-bodies: must be 1 or more, got {value}'
            in capsys.readouterr().err)
    with pytest.raises(ValueError, match='max_bodies must be 1 or more'):
        NTUConverter(str(tmp_path), max_bodies=int(value))


def test_negative_max_frames_is_an_argument_error(tmp_path, capsys):
    with pytest.raises(SystemExit):
        tool_main('pku_to_pkl.py')([
            '--src',
            str(tmp_path), '--out',
            str(tmp_path / 'x.pkl'), '--max-frames', '-5'
        ])
    assert '--max-frames: must be 0 or more' in capsys.readouterr().err


def test_empty_split_is_an_error_on_the_command_line(tmp_path, capsys):
    src = tmp_path / 'src'
    src.mkdir()
    # Subject 2 and camera 2 are training ones: both val splits stay empty.
    write(src, 'S001C002P002R001A001', one_body())
    out = tmp_path / 'ntu.pkl'
    main = tool_main('ntu_to_pkl.py')
    assert main(['--src', str(src), '--out', str(out), '--no-progress']) == 1
    printed = capsys.readouterr().out
    assert 'error: splits xsub_val, xview_val would be empty' in printed
    assert '--allow-empty-splits' in printed
    assert not out.exists()
    assert main([
        '--src',
        str(src), '--out',
        str(out), '--no-progress', '--allow-empty-splits'
    ]) == 0
    assert out.exists()


def config_ann_files():
    """{dataset config name: ann_file defaults} of configs/_base_/datasets."""
    files = {}
    for config in sorted((ROOT / 'configs' / '_base_' / 'datasets').glob(
            '*.py')):
        for match in re.finditer(r"ann_file='(?:\{\{\$\w+:)?([^'}]+)",
                                 config.read_text()):
            files.setdefault(config.name, set()).add(match.group(1))
    return files


def documented_outputs(text):
    return set(re.findall(r'--out (data/\S+\.pkl)', text))


def test_examples_write_exactly_what_the_configs_read(capsys):
    wanted = set().union(*config_ann_files().values())
    assert wanted == {
        'data/skeleton/ntu60_3d.pkl', 'data/skeleton/ntu120_3d.pkl',
        'data/skeleton/pku1_3d.pkl', 'data/skeleton/pku2_3d.pkl',
        'data/skeleton/ucla.pkl', 'data/skeleton/sbu.pkl',
        'data/skeleton/penn.pkl', 'data/synthetic/synthetic.pkl',
        'data/synthetic/synthetic-2d.pkl', 'data/skeleton/ucla-xy.pkl',
        'data/skeleton/k400_2d.pkl'
    } | set(NOT_CONVERTED)
    blocks = config_ann_files()
    for path, source in NOT_CONVERTED.items():
        for name, files in blocks.items():
            if path in files:
                text = (ROOT / 'configs' / '_base_' / 'datasets' /
                        name).read_text()
                assert source in text, f'{name} does not say where {path} ' \
                    'comes from'
    wanted -= set(NOT_CONVERTED)
    documented = set()
    for script in SCRIPTS:
        module = runpy.run_path(str(TOOLS_DATA / script))
        in_doc = documented_outputs(module['__doc__'])
        assert in_doc <= wanted, f'{script} shows other paths: {in_doc}'
        documented |= in_doc
        with pytest.raises(SystemExit):
            module['main'](['--help'])
        in_help = documented_outputs(capsys.readouterr().out)
        assert in_help == in_doc, script
    assert documented == wanted
    readme = documented_outputs((ROOT / 'README.md').read_text())
    assert readme <= wanted, f'README shows other paths: {readme - wanted}'
