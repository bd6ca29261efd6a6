"""FrameLoopGRUEncoder: the frame-by-frame reference as a model."""
import pytest
import torch

import cmd_plugin  # noqa: F401
from cmd_plugin.models.backbones import GRUEncoder
from frame_loop_gru_encoder import FrameLoopGRUEncoder, frame_loop_forward

SIZES = dict(in_channels=3, num_joints=5, num_person=2, hidden_size=6,
             num_layers=2)


def test_eval_mode_uses_the_running_statistics_like_gru_encoder():
    torch.manual_seed(0)
    enc = GRUEncoder(**SIZES)
    loop = FrameLoopGRUEncoder(**SIZES)
    loop.load_state_dict(enc.state_dict())
    x = torch.randn(4, 2, 6, 5, 3)
    enc(x), loop(x)  # one training step of BatchNorm statistics each
    assert torch.equal(enc.input_bn.running_mean, loop.input_bn.running_mean)
    enc.eval(), loop.eval()
    y = torch.randn(3, 2, 6, 5, 3) * 3 + 1
    with torch.no_grad():
        assert torch.allclose(loop(y), enc(y), atol=1e-5, rtol=0)


def test_rejects_the_bidirectional_direction():
    with pytest.raises(ValueError, match='paired_forward'):
        FrameLoopGRUEncoder(direction='bidirectional', **SIZES)
    bidir = GRUEncoder(direction='bidirectional', **SIZES)
    with pytest.raises(ValueError, match='paired_forward'):
        frame_loop_forward(bidir, torch.randn(2, 2, 3, 5, 3))


def test_checks_the_input_shape():
    with pytest.raises(ValueError, match='V=5'):
        FrameLoopGRUEncoder(**SIZES)(torch.randn(2, 2, 3, 4, 3))
