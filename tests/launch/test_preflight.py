"""The data check tools/dist_*.sh and tools/*.py run before anything else."""
import os

import pytest
from mmengine.config import Config

from cmd_plugin.launch.data_hints import GENERIC_HINT, converter_command
from cmd_plugin.launch.preflight import (check_command, iter_ann_files,
                                        missing_data_message)


@pytest.mark.parametrize('path, expected', [
    ('data/skeleton/ntu60_3d.pkl',
     'python tools/data/ntu_to_pkl.py --src nturgb+d_skeletons --dataset '
     'ntu60 --ignore-list NTU_RGBD_samples_with_missing_skeletons.txt '
     '--out data/skeleton/ntu60_3d.pkl'),
    ('x/NTU120_3d.pkl',
     'python tools/data/ntu_to_pkl.py --src nturgb+d_skeletons --dataset '
     'ntu120 --ignore-list NTU_RGBD120_samples_with_missing_skeletons.txt '
     '--out x/NTU120_3d.pkl'),
    ('data/skeleton/pku2_3d.pkl',
     'python tools/data/pku_to_pkl.py --src PKU-MMD-v2 '
     '--out data/skeleton/pku2_3d.pkl'),
    ('data/skeleton/pku1_3d.pkl',
     'python tools/data/pku_to_pkl.py --part 1 --src PKU-MMD-v1 '
     '--out data/skeleton/pku1_3d.pkl'),
    ('data/skeleton/ucla.pkl',
     'python tools/data/ucla_to_pkl.py --src ../shared/data/nw-ucla '
     '--out data/skeleton/ucla.pkl'),
    ('data/nw_ucla.pkl',
     'python tools/data/ucla_to_pkl.py --src ../shared/data/nw-ucla '
     '--out data/nw_ucla.pkl'),
    ('data/synthetic/synthetic.pkl',
     'python tools/data/make_synthetic.py --out data/synthetic/synthetic.pkl'),
    ('data/kinetics_2d.pkl', GENERIC_HINT),
    # 2-D sets: not the 3-D converters their names also match
    ('data/skeleton/ntu60_2d.pkl',
     'wget https://download.openmmlab.com/mmaction/v1.0/skeleton/data/'
     'ntu60_2d.pkl -O data/skeleton/ntu60_2d.pkl'),
    ('data/skeleton/ucla-xy.pkl',
     'python tools/data/ucla_to_pkl.py --src ../shared/data/nw-ucla --out '
     'data/skeleton/ucla.pkl && python tools/data/project_to_2d.py --src '
     'data/skeleton/ucla.pkl --out data/skeleton/ucla-xy.pkl'),
    ('data/synthetic/synthetic-2d.pkl',
     'python tools/data/make_synthetic.py --2d --out '
     'data/synthetic/synthetic-2d.pkl'),
    ('data/skeleton/k400_2d.pkl',
     'python tools/data/make_keypoint_store.py --src k400_hrnet.pkl '
     '--kpfiles kpfiles --out data/skeleton/k400_2d.pkl'),
    ('data/skeleton/penn.pkl',
     'python tools/data/penn_to_pkl.py --src ../shared/data/penn-action '
     '--out data/skeleton/penn.pkl'),
])
def test_converter_command_by_file_name(path, expected):
    assert converter_command(path) == expected


def test_every_nested_ann_file_is_found():
    loaders = dict(
        train_dataloader=dict(dataset=dict(
            type='RepeatDataset', dataset=dict(ann_file='a.pkl'))),
        # the reference/query form and the flat form of KNNEvalDataset
        val_dataloader=dict(dataset=dict(
            type='KNNEvalDataset', reference=dict(ann_file='a.pkl'),
            query=dict(ann_file='b.pkl', data_root='/root'))),
        test_dataloader=dict(dataset=dict(
            type='KNNEvalDataset', ann_file='c.pkl', datasets=[
                dict(ann_file='/abs/d.pkl', data_root='/ignored')])),
    )
    found = [
        pair for name, loader in loaders.items()
        for pair in iter_ann_files(loader, name)
    ]
    assert found == [
        ('train_dataloader.dataset.dataset.ann_file', 'a.pkl'),
        ('val_dataloader.dataset.reference.ann_file', 'a.pkl'),
        ('val_dataloader.dataset.query.ann_file', '/root/b.pkl'),
        ('test_dataloader.dataset.ann_file', 'c.pkl'),
        ('test_dataloader.dataset.datasets[0].ann_file', '/abs/d.pkl'),
    ]


def test_one_message_per_missing_file_naming_its_keys(tmp_path):
    present = tmp_path / 'here.pkl'
    present.write_bytes(b'')
    missing = str(tmp_path / 'ntu60_3d.pkl')
    cfg = Config(dict(
        train_dataloader=dict(dataset=dict(ann_file=missing)),
        val_dataloader=dict(dataset=dict(
            reference=dict(ann_file=missing),
            query=dict(ann_file=str(present)))),
        test_dataloader=dict(dataset=dict(ann_file='s3://bucket/x.pkl'))))
    message = missing_data_message(cfg, ['train_dataloader', 'val_dataloader'])
    assert message == (
        f'{missing} (train_dataloader.dataset.ann_file, '
        'val_dataloader.dataset.reference.ann_file) does not exist; '
        'make it with:\n    python tools/data/ntu_to_pkl.py --src '
        'nturgb+d_skeletons --dataset ntu60 --ignore-list '
        f'NTU_RGBD_samples_with_missing_skeletons.txt --out {missing}')
    assert missing_data_message(cfg, ['val_dataloader']).count('\n') == 1
    assert missing_data_message(cfg, ['test_dataloader']) is None
    cfg.test_dataloader.dataset.ann_file = 'kinetics.pkl'
    assert missing_data_message(cfg, ['test_dataloader']).endswith(
        f'does not exist (relative to {os.getcwd()}); {GENERIC_HINT}')
    cfg.val_dataloader.dataset.reference.ann_file = str(present)
    assert missing_data_message(cfg, ['val_dataloader']) is None


def _config(tmp_path, ann_file):
    path = tmp_path / 'cfg.py'
    loader = f"dict(dataset=dict(ann_file='{ann_file}'))"
    path.write_text(f'train_dataloader = {loader}\n'
                    f'val_dataloader = {loader}\n'
                    f'test_dataloader = {loader}\n')
    return str(path)


def test_command_line_decides_what_is_checked(tmp_path):
    missing = str(tmp_path / 'missing_ucla.pkl')
    present = tmp_path / 'ucla.pkl'
    present.write_bytes(b'')
    config = _config(tmp_path, missing)

    message = check_command('train', [config, '--work-dir', 'w'])
    assert 'train_dataloader' in message and 'val_dataloader' in message
    assert 'ucla_to_pkl.py' in message
    message = check_command('train', [config, '--no-validate'])
    assert 'val_dataloader' not in message
    assert check_command('train', [
        '--work-dir', 'w', config, '--cfg-options',
        f'train_dataloader.dataset.ann_file={present}',
        f'val_dataloader.dataset.ann_file={present}']) is None

    ckpt = tmp_path / 'epoch_1.pth'
    assert 'checkpoint' in check_command('test', [config, str(ckpt)])
    ckpt.write_bytes(b'')
    assert 'test_dataloader.dataset.ann_file' in check_command(
        'test', [config, str(ckpt), '--launcher', 'pytorch'])

    assert check_command('train', [str(tmp_path / 'nope.py')]) == (
        f'config {tmp_path / "nope.py"} does not exist')
    # a command line MMAction2's parser rejects is left to it
    assert check_command('test', [config]) is None


def test_a_missing_pretrained_checkpoint_is_one_line_naming_the_key(
        tmp_path):
    present = tmp_path / 'ucla.pkl'
    present.write_bytes(b'')
    config = _config(tmp_path, str(present))
    message = check_command('train', [
        config, '--cfg-options', 'model.pretrained=work_dirs/nope.pth'])
    assert message == (
        'model.pretrained=work_dirs/nope.pth does not exist. Set '
        'model.pretrained to a checkpoint a pretraining run wrote '
        '(work_dirs/RUN/epoch_N.pth), or leave it out for the random-init '
        'baseline.')
    assert 'load_from=x.pth does not exist' in check_command(
        'train', [config, '--cfg-options', 'load_from=x.pth'])


def test_the_dataset_block_file_is_checked_too(tmp_path):
    config = tmp_path / 'cfg.py'
    config.write_text("skeleton_data = 'configs/_base_/datasets/nope.py'\n")
    assert 'skeleton_data=configs/_base_/datasets/nope.py does not exist' \
        in check_command('train', [str(config), '--no-validate'])
    block = tmp_path / 'block.py'
    block.write_text(f"skeleton_data = dict(ann_file='{tmp_path}/sbu.pkl', "
                     "train_split='fold1_train', val_split='fold1_val')\n")
    config = tmp_path / 'sbu.py'
    config.write_text(f"skeleton_data = '{block}'\n")
    message = check_command('train', [str(config), '--no-validate'])
    assert 'skeleton_data.ann_file' in message and 'sbu_to_pkl.py' in message
