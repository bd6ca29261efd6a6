"""A researcher's own skeletons, end to end: the pickle alone carries the
layout (a definition, not a registered name); one dataset block names the
file, splits and clip settings; the shipped configs do the rest through
MMAction2's tools -- CMD pretraining, kNN, linear evaluation of all three
streams, fusion and the export into a stock MMAction2 ST-GCN -- with no
layout, joint count or class count written anywhere else. A checkpoint of
that skeleton is then refused by evaluation and export under another."""
import ast
import os.path as osp

import torch

from tests.conftest import ROOT, run_tool
from tests.datasets.test_new_dataset import (NEW_DATASET_BLOCK,
                                             write_made_up_pkl)

PRETRAIN = 'configs/cmd/cmd_stgcn-tiny32_1xb32-60e_ucla-xview-keypoint-3d.py'
LINEAR = ('configs/cmd/benchmarks/cmd_stgcn-tiny32_linear-cached_1xb64-80e_'
          'ucla-xview-keypoint-3d.py')
SYNTHETIC_BLOCK = 'configs/_base_/datasets/synthetic.py'  # NTU's 25 joints
# what every run printed before: the stack's known-harmless warnings and
# PyTorch's complaint about more loader workers than CPUs
NOISE = ('pkg_resources is deprecated', 'MultiScaleDeformableAttention',
         'suggested max number of worker')


def test_own_dataset_through_every_protocol(tmp_path, synthetic_pkl):
    ann = write_made_up_pkl(tmp_path / 'my20.pkl', definition=True)
    block = tmp_path / 'my20.py'
    block.write_text(NEW_DATASET_BLOCK.format(ann=ann))
    work = tmp_path / 'pretrain'
    data = [f'skeleton_data={block}']

    # CMD pretraining with the kNN monitor
    log = _run(['tools/train.py', PRETRAIN, '--work-dir', str(work),
                '--cfg-options', *data, 'model.queue_size=32',
                'train_dataloader.batch_size=8', 'train_cfg.max_epochs=1',
                'train_cfg.val_interval=1'])
    assert 'from the data: model.layout = ' in log
    assert 'from the data: model.backbone.in_channels = 3' in log
    ckpt = str(work / 'epoch_1.pth')
    meta = torch.load(ckpt, map_location='cpu', weights_only=False)['meta']
    assert meta['skeleton']['num_joints'] == 20
    assert meta['skeleton']['num_person'] == 1

    # kNN of the checkpoint, MMAction2's test tool
    log = _run(['tools/test.py', PRETRAIN, ckpt, '--work-dir',
                str(tmp_path / 'knn'), '--cfg-options', *data,
                'model.queue_size=32'])
    assert 'knn/fused' in log

    # linear evaluation of each stream (one config, the stream an option),
    # the class count taken from the labels
    dumps = []
    for stream in ('joint', 'motion', 'bone'):
        options = [*data, f'model.stream={stream}', f'model.pretrained={ckpt}',
                   'train_cfg.max_epochs=2', 'train_cfg.val_interval=2']
        linear = tmp_path / f'linear_{stream}'
        log = _run(['tools/train.py', LINEAR, '--work-dir', str(linear),
                    '--cfg-options', *options])
        assert 'from the data: model.cls_head.num_classes = 8' in log
        for noise in NOISE:  # filtered once, or fitted to the machine
            assert noise not in log
        assert f"query_encoders.{stream}.backbone.'" in log
        dumps.append(str(tmp_path / f'{stream}.pkl'))
        _run(['tools/test.py', LINEAR, str(linear / 'epoch_2.pth'),
              '--work-dir', str(linear / 'test'), '--dump', dumps[-1],
              '--cfg-options', *options])

    # fusion of the three streams
    log = _run(['tools/analysis_tools/report.py', 'fusion', '--preds',
                *dumps])
    assert 'fusion' in log

    # export into a stock MMAction2 ST-GCN, built from the printed settings
    out = str(tmp_path / 'stgcn_joint.pth')
    log = _run(['tools/model_converters/export_backbone.py', ckpt,
                '--stream', 'joint', '--out', out, '--layout', ann])
    printed = log[log.index('model = dict('):].strip().splitlines()[0]
    backbone = ast.literal_eval(printed[len('model = dict(backbone='):-1])
    from mmaction.registry import MODELS
    stock = MODELS.build(backbone)  # MMAction2's own STGCN
    stock.init_weights()
    state = torch.load(ckpt, map_location='cpu',
                       weights_only=False)['state_dict']
    prefix = 'query_encoders.joint.backbone.'
    for key, value in stock.state_dict().items():
        if 'num_batches_tracked' not in key:
            assert torch.equal(value, state[prefix + key]), key
    assert stock.graph.num_node == 20

    # a checkpoint of this skeleton is refused under another one
    log = _run(['tools/train.py', LINEAR, '--work-dir',
                str(tmp_path / 'other'), '--cfg-options',
                f'skeleton_data={SYNTHETIC_BLOCK}',
                f'model.pretrained={ckpt}'],
               env=dict(CMD_DEMO_ANN_FILE=synthetic_pkl), check=False)
    assert "was trained on the layout 'made-up-20' (20 joints) but " \
           "model.layout is 'nturgb+d' (25 joints)" in log
    assert 'cannot start, nothing was run' in log and 'Traceback' not in log
    log = _run(['tools/model_converters/export_backbone.py', ckpt,
                '--stream', 'joint', '--out', str(tmp_path / 'x.pth'),
                '--layout', 'nturgb+d'], check=False)
    assert "but --layout is 'nturgb+d' (25 joints)" in log
    assert not osp.exists(tmp_path / 'x.pth')
    # and by MMAction2's test tool on the other skeleton
    log = _run(['tools/test.py', PRETRAIN, ckpt, '--work-dir',
                str(tmp_path / 'other_knn'), '--cfg-options',
                f'skeleton_data={SYNTHETIC_BLOCK}', 'model.queue_size=32'],
               env=dict(CMD_DEMO_ANN_FILE=synthetic_pkl), check=False)
    assert "was trained on the layout 'made-up-20'" in log
    assert 'Traceback' not in log


def _run(args, env=None, check=True):
    proc = run_tool(args, env=env, cwd=ROOT, check=check, timeout=600)
    return proc.stdout + proc.stderr
