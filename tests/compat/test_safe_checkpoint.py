import os

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub
from mmengine.runner.checkpoint import CheckpointLoader, _load_checkpoint

from cmd_plugin.compat import UnsafeCheckpointError, safe_torch_load


class _RunsCode:
    """Unpickling this object would run a shell command."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def _mmengine_like_checkpoint():
    hub = MessageHub.get_instance('test_safe_checkpoint')
    for value in (1.0, 2.0, 3.0):
        hub.update_scalar('train/loss', value)
    hub.update_info('iter', np.int64(3))
    hub.update_info('dtype', np.dtype('float32'))
    return dict(
        meta=dict(epoch=1, iter=3, seed=np.int64(7),
                  arr=np.arange(4, dtype=np.float16)),
        state_dict=dict(w=torch.ones(2, 2)),
        message_hub=hub.state_dict(),
    )


def test_mmengine_checkpoint_loads_weights_only(tmp_path):
    path = str(tmp_path / 'ok.pth')
    torch.save(_mmengine_like_checkpoint(), path)
    # the plain torch default refuses it: this is what we work around
    with pytest.raises(Exception):
        torch.load(path)
    loaded = safe_torch_load(path)
    buffer = loaded['message_hub']['log_scalars']['train/loss']
    assert isinstance(buffer, HistoryBuffer)
    assert buffer.mean() == pytest.approx(2.0)
    assert loaded['meta']['seed'] == 7
    # MMEngine's loader (load_from, --resume, tools/test.py) is ours now
    via_mmengine = _load_checkpoint(path, map_location='cpu')
    assert torch.equal(via_mmengine['state_dict']['w'], torch.ones(2, 2))


def test_code_running_checkpoint_is_refused(tmp_path):
    marker = tmp_path / 'pwned'
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict={}, payload=_RunsCode(marker)), path)
    with pytest.raises(UnsafeCheckpointError, match='evil.pth'):
        safe_torch_load(path)
    with pytest.raises(UnsafeCheckpointError):
        CheckpointLoader.load_checkpoint(path, map_location='cpu')
    assert not marker.exists()


def test_getattr_is_restricted(tmp_path):
    """A pickled getattr on anything but HistoryBuffer's statistics fails."""

    class _GetattrEvil:

        def __reduce__(self):
            return (getattr, (HistoryBuffer, '__subclasses__'))

    path = str(tmp_path / 'getattr.pth')
    torch.save(dict(x=_GetattrEvil()), path)
    with pytest.raises(UnsafeCheckpointError):
        safe_torch_load(path)


def test_missing_file_is_reported():
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        CheckpointLoader.load_checkpoint('nope.pth')
