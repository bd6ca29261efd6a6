"""Runner-level loads refuse checkpoints that do not fit; init_cfg
Pretrained keeps loading parts."""
import pytest
import torch
from mmengine.model import BaseModule
from torch import nn

from cmd_plugin.compat import CheckpointMismatchError, check_checkpoint_fits


class _Net(BaseModule):

    def __init__(self, width=4, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.encoder = nn.Linear(3, width)
        self.norm = nn.BatchNorm1d(width)
        self.register_buffer('queue', torch.zeros(width, 8))


def test_fitting_checkpoint_passes_with_module_prefix_and_extra_keys():
    state = {f'module.{k}': v for k, v in _Net().state_dict().items()}
    state.pop('module.norm.num_batches_tracked')  # MMEngine ignores it too
    state['module.extra.w'] = torch.ones(1)
    check_checkpoint_fits(_Net(), dict(state_dict=state), 'ok.pth')


def test_foreign_checkpoint_names_counts_and_prefixes():
    foreign = dict(state_dict={'backbone.w': torch.ones(2),
                               'cls_head.fc.weight': torch.ones(2, 2)})
    with pytest.raises(CheckpointMismatchError) as err:
        check_checkpoint_fits(_Net(), foreign, 'other.pth')
    msg = str(err.value)
    assert 'other.pth does not fit the model _Net: it holds 0 of the ' \
        "model's 7 parameter/buffer keys" in msg
    assert 'checkpoint key prefixes: backbone. (1), cls_head. (1)' in msg
    assert 'model key prefixes: encoder. (2), norm. (4), queue. (1)' in msg
    assert "init_cfg=dict(type='Pretrained'" in msg


def test_shape_mismatch_is_refused():
    state = _Net(width=5).state_dict()
    with pytest.raises(CheckpointMismatchError) as err:
        check_checkpoint_fits(_Net(), dict(state_dict=state), 'wide.pth')
    msg = str(err.value)
    assert 'holds 7 of the model\'s 7' in msg and '7 of them in another' in msg
    assert 'queue: checkpoint (5, 8), model (4, 8)' in msg


def test_pretrained_init_cfg_still_loads_a_part(tmp_path):
    """The deliberate subset load (a recognizer from a pretrained backbone)
    is not runner-level and stays allowed."""
    path = str(tmp_path / 'pretrained.pth')
    src = _Net()
    torch.save(dict(state_dict={
        f'query_encoders.joint.{k}': v
        for k, v in src.state_dict().items() if k.startswith('encoder.')
    }), path)
    net = _Net(init_cfg=dict(type='Pretrained', checkpoint=path,
                             prefix='query_encoders.joint.'))
    net.init_weights()  # queue and norm are not in the file: only warns
    torch.testing.assert_close(net.encoder.weight, src.encoder.weight)
