"""Writing annotation pickles so that a crash never leaves a usable-looking
half file behind."""
import os
import os.path as osp
import pickle
import tempfile
from typing import Any


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def dump_pickle_atomic(obj: Any, path: str) -> None:
    """Pickle ``obj`` to ``path``, all or nothing.

    The data go to a hidden temporary file in the destination directory and
    are moved over ``path`` with :func:`os.replace` only once complete and
    synced: a rename within one filesystem is atomic, so readers see either
    the old file (or none) or the whole new one, never a truncated pickle.

    Args:
        obj: Object to pickle.
        path (str): Destination; missing parent directories are created.
    """
    path = osp.abspath(path)
    directory = osp.dirname(path)
    os.makedirs(directory, exist_ok=True)
    fd, tmp_path = tempfile.mkstemp(
        prefix=f'.{osp.basename(path)}.', suffix='.tmp', dir=directory)
    try:
        with os.fdopen(fd, 'wb') as f:
            pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp creates the file private (0600); give it the permissions
        # an ordinary open() would, since datasets are usually shared.
        os.chmod(tmp_path, 0o666 & ~_current_umask())
        os.replace(tmp_path, path)
    except BaseException:
        # Also on KeyboardInterrupt: an orphaned temp file is just clutter,
        # but remove it anyway.
        if osp.exists(tmp_path):
            os.remove(tmp_path)
        raise
