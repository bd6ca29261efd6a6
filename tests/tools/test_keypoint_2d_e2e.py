"""2-D keypoints end to end through MMAction2's tools: a synthetic COCO-17
pickle (pixels, keypoint_score, img_shape, as MMAction2's 2-D pickles) ->
CMD pretraining with the kNN monitor (the Penn Action CPU recipe config on
the synthetic-2d block) -> kNN of the checkpoint (tools/test.py) -> linear
evaluation of each stream and their fusion. The layout ('coco') and the
three input channels (x, y, score) come from the data. The checkpoint's
kNN on the same data written as a keypoint store matches the pickle's."""
import re

import torch

from tests.conftest import run_tool

PRETRAIN = 'configs/cmd/cmd_stgcn-tiny32_1xb32-60e_penn-keypoint-2d.py'
LINEAR = ('configs/cmd/benchmarks/cmd_stgcn-tiny32_linear-cached_1xb64-80e_'
          'penn-keypoint-2d.py')
BLOCK = 'skeleton_data=configs/_base_/datasets/synthetic-2d.py'


def test_2d_pretraining_knn_and_linear(tmp_path):
    pkl = tmp_path / 'synthetic-2d.pkl'
    run_tool(['tools/data/make_synthetic.py', '--2d', '--out', str(pkl),
              '--seed', '0', '--per-class', '8'])
    env = dict(CMD_DEMO_2D_ANN_FILE=str(pkl))

    def run(args):
        proc = run_tool(args, env, timeout=600)
        return proc.stdout + proc.stderr

    work = tmp_path / 'pretrain'
    log = run(['tools/train.py', PRETRAIN, '--work-dir', str(work),
               '--cfg-options', BLOCK, 'model.queue_size=32',
               'train_dataloader.batch_size=8', 'train_cfg.max_epochs=1',
               'train_cfg.val_interval=1'])
    assert "from the data: model.layout = 'coco'" in log
    assert 'from the data: model.backbone.in_channels = 3' in log
    ckpt = str(work / 'epoch_1.pth')
    meta = torch.load(ckpt, map_location='cpu', weights_only=False)['meta']
    assert meta['skeleton']['num_joints'] == 17
    assert meta['skeleton']['in_channels'] == 3

    log = run(['tools/test.py', PRETRAIN, ckpt, '--work-dir',
               str(tmp_path / 'knn'), '--cfg-options', BLOCK,
               'model.queue_size=32'])
    assert 'knn/fused' in log

    # the same data as a keypoint store (Kinetics' format): same numbers
    store = tmp_path / 'synthetic-2d-store.pkl'
    run_tool(['tools/data/make_keypoint_store.py', '--src', str(pkl),
              '--out', str(store), '--no-progress'])
    env['CMD_DEMO_2D_ANN_FILE'] = str(store)
    stored = run(['tools/test.py', PRETRAIN, ckpt, '--work-dir',
                  str(tmp_path / 'knn_store'), '--cfg-options', BLOCK,
                  'model.queue_size=32'])
    assert knn_metrics(stored) == knn_metrics(log) != {}
    env['CMD_DEMO_2D_ANN_FILE'] = str(pkl)

    dumps = []
    for stream in ('joint', 'motion', 'bone'):
        options = [BLOCK, f'model.stream={stream}', f'model.pretrained={ckpt}',
                   'train_cfg.max_epochs=2', 'train_cfg.val_interval=2']
        linear = tmp_path / f'linear_{stream}'
        log = run(['tools/train.py', LINEAR, '--work-dir', str(linear),
                   '--cfg-options', *options])
        assert 'acc/top1' in log
        dumps.append(str(tmp_path / f'{stream}.pkl'))
        run(['tools/test.py', LINEAR, str(linear / 'epoch_2.pth'),
             '--work-dir', str(linear / 'test'), '--dump', dumps[-1],
             '--cfg-options', *options])
    log = run(['tools/analysis_tools/report.py', 'fusion', '--preds',
               *dumps])
    assert 'fusion' in log


def knn_metrics(log):
    """The kNN accuracies a test run printed, by name."""
    return dict(re.findall(r'(knn/\w+): ([\d.]+)', log))
