import pytest
import torch

from cmd_plugin.engine import BufferPreservingDDP
from cmd_plugin.launch.tool import prepare_cpu_distributed


def test_refuses_buffer_broadcast():
    with pytest.raises(ValueError, match='broadcast_buffers'):
        BufferPreservingDDP(torch.nn.Linear(2, 2), broadcast_buffers=True)


def test_cpu_launch_adds_wrapper_only_for_pytorch_launcher(monkeypatch):
    monkeypatch.delenv('WORLD_SIZE', raising=False)
    argv = ['cfg.py', '--launcher', 'pytorch']
    assert prepare_cpu_distributed(argv) == argv  # not under torchrun
    assert prepare_cpu_distributed(['cfg.py']) == ['cfg.py']
