"""Export of a CMD stream's backbone into a stock MMAction2 recognizer."""
import pytest
import torch

from cmd_plugin.compat import safe_torch_load
from cmd_plugin.analysis.export import (ExportError, backbone_state_dict,
                                     export_backbone)
from mmaction.registry import MODELS
from tests.conftest import run_tool
from tests.models.test_cmd import build, tiny_cfg


@pytest.fixture(scope='module')
def cmd_ckpt(tmp_path_factory):
    """A tiny CMD saved as MMEngine's CheckpointHook does; query and key
    encoders made to differ, so exporting the wrong one shows."""
    model = build()
    with torch.no_grad():
        for p in model.query_encoders.parameters():
            p.add_(torch.randn_like(p))
        for p in model.key_encoders.parameters():
            p.sub_(torch.randn_like(p))
    path = tmp_path_factory.mktemp('cmd') / 'epoch_1.pth'
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(epoch=1, iter=5)), str(path))
    return model, str(path)


def stock_recognizer(checkpoint):
    backbone = dict(tiny_cfg()['backbone'])
    backbone['init_cfg'] = dict(type='Pretrained', checkpoint=checkpoint,
                                prefix='backbone.')
    torch.manual_seed(123)
    recognizer = MODELS.build(dict(
        type='RecognizerGCN', backbone=backbone,
        cls_head=dict(type='GCNHead', num_classes=5, in_channels=8)))
    return recognizer


@pytest.mark.parametrize('which', ['query', 'key'])
@pytest.mark.parametrize('stream', ['joint', 'bone'])
def test_stock_recognizer_loads_every_backbone_tensor(cmd_ckpt, tmp_path,
                                                      stream, which):
    model, ckpt = cmd_ckpt
    out = str(tmp_path / f'stgcn_{stream}.pth')
    meta = export_backbone(ckpt, stream, out, which=which)

    saved = safe_torch_load(out)
    assert set(saved) == {'state_dict', 'meta'}
    assert saved['meta']['stream'] == stream
    assert saved['meta']['encoder'] == which
    assert saved['meta']['source_epoch'] == 1
    assert all(k.startswith('backbone.') for k in saved['state_dict'])

    encoder = (model.query_encoders[stream] if which == 'query' else
               model.key_encoders[stream].module)
    expected = encoder.backbone.state_dict()
    recognizer = stock_recognizer(out)
    before = {k: v.clone() for k, v in
              recognizer.backbone.state_dict().items()}
    recognizer.init_weights()
    loaded = recognizer.backbone.state_dict()
    assert meta['num_tensors'] == len(expected) == len(loaded)
    assert set(loaded) == set(expected)
    for key, value in expected.items():
        assert torch.equal(loaded[key], value), key
    # the load did something: random init differs from the CMD weights
    assert any(not torch.equal(before[k], expected[k])
               for k in expected if expected[k].is_floating_point())


def test_missing_stream_lists_streams_found(cmd_ckpt, tmp_path):
    model, _ = cmd_ckpt
    state = {k: v for k, v in model.state_dict().items()
             if '.motion.' not in k}
    with pytest.raises(ExportError) as err:
        backbone_state_dict(state, 'motion')
    assert "'motion' is not in the checkpoint" in str(err.value)
    assert 'it has joint, bone' in str(err.value)


def test_not_a_cmd_checkpoint_lists_prefixes(tmp_path):
    path = tmp_path / 'stgcn.pth'
    torch.save(dict(state_dict={'backbone.data_bn.weight': torch.ones(2),
                                'cls_head.fc.bias': torch.ones(2)}),
               str(path))
    with pytest.raises(ExportError) as err:
        export_backbone(str(path), 'joint', str(tmp_path / 'out.pth'))
    assert 'not a checkpoint of a CMD model' in str(err.value)
    assert 'backbone. (1), cls_head. (1)' in str(err.value)
    assert not (tmp_path / 'out.pth').exists()


def test_cli_writes_file_and_reports_errors(cmd_ckpt, tmp_path):
    _, ckpt = cmd_ckpt
    out = tmp_path / 'stgcn_joint.pth'
    proc = run_tool(['tools/model_converters/export_backbone.py', ckpt,
                     '--stream', 'joint', '--out', str(out)])
    assert out.is_file() and "prefix='backbone.'" in proc.stdout
    with pytest.raises(AssertionError) as err:
        run_tool(['tools/model_converters/export_backbone.py', ckpt,
                  '--stream', 'hand', '--out', str(tmp_path / 'x.pth')])
    assert 'exited 1' in str(err.value)
    assert 'it has joint, motion, bone' in str(err.value)
    assert 'Traceback' not in str(err.value)
