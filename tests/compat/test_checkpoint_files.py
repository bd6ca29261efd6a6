"""What a path that is not a checkpoint is reported as."""
import os

import pytest
import torch
from mmengine.runner.checkpoint import CheckpointLoader

from cmd_plugin.compat import NotACheckpointError


def _load(path):
    return CheckpointLoader.load_checkpoint(str(path), map_location='cpu')


def test_random_bytes_are_not_a_checkpoint(tmp_path):
    path = tmp_path / 'noise.pth'
    path.write_bytes(bytes(range(7, 107)))
    with pytest.raises(NotACheckpointError) as err:
        _load(path)
    assert 'noise.pth is not a PyTorch checkpoint (100 bytes' in str(err.value)
    assert 'weights_only' not in str(err.value)


def test_empty_file_is_not_a_checkpoint(tmp_path):
    path = tmp_path / 'empty.pth'
    path.write_bytes(b'')
    with pytest.raises(NotACheckpointError, match=r'\(0 bytes, an empty'):
        _load(path)


def test_plain_pickle_is_not_a_checkpoint(tmp_path):
    import pickle
    path = tmp_path / 'plain.pkl'
    path.write_bytes(pickle.dumps(dict(a=1)))
    with pytest.raises(NotACheckpointError, match='not a PyTorch checkpoint'):
        _load(path)


@pytest.mark.parametrize('legacy', [False, True])
def test_truncated_checkpoint_is_damaged(tmp_path, legacy):
    path = tmp_path / 'cut.pth'
    torch.save(dict(w=torch.ones(100)), str(path),
               _use_new_zipfile_serialization=not legacy)
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])
    with pytest.raises(NotACheckpointError,
                       match='cut.pth is a damaged PyTorch checkpoint'):
        _load(path)


def test_directory_names_what_it_holds(tmp_path):
    (tmp_path / 'epoch_3.pth').write_bytes(b'')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'epoch_3.pth'))
    with pytest.raises(IsADirectoryError) as err:
        _load(tmp_path)
    msg = str(err.value)
    assert 'is a directory' in msg and 'epoch_3.pth' in msg
    assert 'last_checkpoint (->' in msg
    empty = tmp_path / 'sub'
    os.mkdir(empty)
    with pytest.raises(IsADirectoryError, match='no last_checkpoint'):
        _load(empty)
