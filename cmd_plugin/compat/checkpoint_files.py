"""Say in one line why a path is not a loadable checkpoint.

Without this, random bytes or an empty file reach ``torch.load`` and come
back as "objects outside the allowlist ... weights_only=False" -- advice to
unpickle unsafely a file that is no checkpoint at all -- and a folder is
reported as "can not be found".
"""
import glob
import os
import os.path as osp

# torch.save's format since 1.6 is a zip archive; older files are a pickle
# stream that starts with torch's magic number (a pickled long).
ZIP_MAGIC = b'PK\x03\x04'
LEGACY_MAGIC = b'\x80\x02\x8a\nl\xfc\x9cF\xf9 j\xa8P\x19'


class NotACheckpointError(ValueError):
    """The path exists but does not hold a (complete) PyTorch checkpoint."""


def describe_folder(path: str) -> str:
    """What a folder given as a checkpoint holds that could be meant."""
    found = []
    last = osp.join(path, 'last_checkpoint')
    if osp.isfile(last):
        with open(last) as file:
            found.append(f'last_checkpoint (-> {file.read().strip()})')
    found += sorted(
        osp.basename(p) for p in glob.glob(osp.join(path, '*.pth')))
    hint = (f'it holds {", ".join(found)}; give one of those files'
            if found else 'it holds no last_checkpoint or *.pth file')
    return f'{path} is a directory, not a checkpoint file: {hint}.'


def check_checkpoint_file(path: str) -> str:
    """Raise unless ``path`` starts like a file ``torch.save`` wrote.

    Returns:
        str: ``'zip'`` or ``'legacy'``, the format found.
    """
    if osp.isdir(path):
        raise IsADirectoryError(describe_folder(path))
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path} can not be found.')
    size = os.path.getsize(path)
    with open(path, 'rb') as file:
        head = file.read(len(LEGACY_MAGIC))
    if head.startswith(ZIP_MAGIC):
        return 'zip'
    if head == LEGACY_MAGIC:
        return 'legacy'
    what = ('an empty file' if size == 0 else
            f'starts with 0x{head[:8].hex()}, neither the zip archive '
            'torch.save writes nor its legacy pickle format')
    raise NotACheckpointError(
        f'{path} is not a PyTorch checkpoint ({size} bytes, {what}). Give '
        'a .pth file a run saved; its work_dir/last_checkpoint names the '
        'latest.')


def damaged(path: str, err: BaseException) -> NotACheckpointError:
    """The error for a torch file that cannot be read to its end."""
    size = os.path.getsize(path)
    return NotACheckpointError(
        f'{path} is a damaged PyTorch checkpoint ({size} bytes): it cannot '
        'be read to its end, e.g. its save was interrupted or the copy is '
        f'incomplete. Use an earlier checkpoint. ({type(err).__name__}: '
        f'{_first_sentence(err)})')


def _first_sentence(err: BaseException) -> str:
    text = str(err).split('. ')[0].strip()
    return text[:160] if text else 'the file ends early'
