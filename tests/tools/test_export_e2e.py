"""An exported CMD backbone initialises MMAction2's stock ST-GCN recipe."""
import torch

from cmd_plugin.analysis.export import export_backbone
from tests.conftest import run_tool
from tests.models.test_cmd import build

CONFIG = 'tests/configs/stgcn_tiny_synthetic.py'


def test_stock_train_loads_exported_backbone(synthetic_pkl, tmp_path):
    ckpt = tmp_path / 'cmd.pth'
    torch.save(dict(state_dict=build().state_dict(), meta={}), str(ckpt))
    out = tmp_path / 'stgcn_joint.pth'
    # in-process: the CLI has its own test, and the train run is the cost
    export_backbone(str(ckpt), 'joint', str(out))
    proc = run_tool([
        'tools/train.py', CONFIG, '--work-dir', str(tmp_path / 'ft'),
        '--cfg-options', 'model.backbone.init_cfg.type=Pretrained',
        f'model.backbone.init_cfg.checkpoint={out}',
        'model.backbone.init_cfg.prefix=backbone.'
    ], dict(CMD_TEST_ANN_FILE=synthetic_pkl))
    log = proc.stdout + proc.stderr
    assert f'load backbone. in model from: {out}' in log
    # MMEngine's partial load only warns about keys it could not place
    for word in ('missing keys', 'unexpected key', 'size mismatch'):
        assert word not in log, word
    assert (tmp_path / 'ft' / 'epoch_1.pth').is_file()
