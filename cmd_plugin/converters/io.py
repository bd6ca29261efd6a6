"""Writing converter outputs so that a crash never leaves a usable-looking
half file behind, and checking up front that they can be written."""
import os
import os.path as osp
import pickle
import tempfile
from typing import IO, Any, Callable


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_atomic(path: str, write: Callable[[IO[bytes]], None]) -> None:
    path = osp.abspath(path)
    directory = osp.dirname(path)
    os.makedirs(directory, exist_ok=True)
    fd, tmp_path = tempfile.mkstemp(
        prefix=f'.{osp.basename(path)}.', suffix='.tmp', dir=directory)
    try:
        with os.fdopen(fd, 'wb') as f:
            write(f)
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
    _write_atomic(
        path, lambda f: pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL))


def write_text_atomic(text: str, path: str) -> None:
    """Write ``text`` (UTF-8) to ``path``, all or nothing, like
    :func:`dump_pickle_atomic`."""
    _write_atomic(path, lambda f: f.write(text.encode('utf-8')))


def output_problem(path: str) -> str:
    """Why ``path`` cannot be written atomically, or '' if it can.

    Atomic writing needs a writable directory (for the temporary file and
    the rename), not a writable old file; missing parent directories are
    created later, so the nearest existing one is checked.
    """
    path = osp.abspath(path)
    if osp.isdir(path):
        return 'is a directory; give a file name inside it'
    parent = osp.dirname(path)
    while not osp.exists(parent):
        parent = osp.dirname(parent)
    if not osp.isdir(parent):
        return f'{parent} is a file, not a directory'
    if not os.access(parent, os.W_OK | os.X_OK):
        return f'directory {parent} is not writable'
    return ''
