"""Checkpoints are never lost: atomic writes, old files removed last.

MMEngine 0.10.7's ``CheckpointHook`` removes the oldest checkpoint *before*
writing the next one, writes the file in place and then truncates and
rewrites ``last_checkpoint``. With ``max_keep_ckpts=1`` a kill during a save
leaves no checkpoint at all and ``last_checkpoint`` pointing at a deleted
file, so ``--resume`` fails. Here, on local disks:

* a checkpoint is written to ``<name>.part`` in the same folder, fsynced and
  renamed onto ``<name>`` (``os.replace`` is atomic within a filesystem);
* ``last_checkpoint`` is replaced the same way, after the checkpoint it names
  is in place;
* outdated checkpoints (``max_keep_ckpts``, previous ``best_*``) are removed
  only after that.

Patched on the class rather than shipped as a CheckpointHook subclass: every
config (also stock MMAction2 ones run through this plugin) keeps its
``default_hooks.checkpoint`` and gets the fix without a config change.
"""
import os
import os.path as osp
from typing import Any, List, Tuple

import torch
from mmengine.dist import is_main_process
from mmengine.fileio import LocalBackend, get_file_backend
from mmengine.hooks import CheckpointHook
from mmengine.runner import checkpoint as mmengine_checkpoint
from mmengine.runner import runner as mmengine_runner

PART_SUFFIX = '.part'
_original_save = mmengine_checkpoint.save_checkpoint


def _fsync_dir(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - filesystems without dir fsync
        pass
    finally:
        os.close(fd)


def atomic_write(path: str, write) -> None:
    """Call ``write(file)`` on ``path + '.part'``, then rename onto ``path``.

    Readers see either the old file or the complete new one; a kill leaves at
    most a ``.part`` file, which the next save of that name overwrites.
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    part = path + PART_SUFFIX
    try:
        with open(part, 'wb') as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(part, path)
    except BaseException:
        if osp.exists(part):
            os.remove(part)
        raise
    _fsync_dir(folder)


def atomic_torch_save(obj: Any, path: str) -> None:
    atomic_write(path, lambda file: torch.save(obj, file))


def atomic_write_text(path: str, text: str) -> None:
    atomic_write(path, lambda file: file.write(text.encode()))


def save_checkpoint(checkpoint, filename, file_client_args=None,
                    backend_args=None):
    """MMEngine's ``save_checkpoint``, atomic for local paths."""
    local = (file_client_args is None and not filename.startswith('pavi://')
             and isinstance(get_file_backend(
                 filename, backend_args=backend_args), LocalBackend))
    if not local:
        return _original_save(checkpoint, filename, file_client_args,
                              backend_args)
    atomic_torch_save(checkpoint, filename)


def _remove(backend, path: str) -> None:
    if backend.isfile(path):
        backend.remove(path)
    elif backend.isdir(path):  # deepspeed saves folders
        backend.rmtree(path)


def _save_checkpoint_with_step(self, runner, step, meta) -> None:
    """``CheckpointHook``'s save, removing the outdated file last."""
    stale = None
    if self.max_keep_ckpts > 0 and not (self.keep_ckpt_ids
                                        and self.keep_ckpt_ids[-1] == step):
        if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
            stale = self.keep_ckpt_ids.popleft()
        self.keep_ckpt_ids.append(step)
        # The checkpoint still lists the stale step: if this process dies
        # before removing that file, CheckpointHook.before_train of a run
        # resumed from this checkpoint removes it.
        runner.message_hub.update_info(
            'keep_ckpt_ids',
            ([] if stale is None else [stale]) + list(self.keep_ckpt_ids))

    filename = self.filename_tmpl.format(step)
    self.last_ckpt = self.file_backend.join_path(self.out_dir, filename)
    runner.message_hub.update_info('last_ckpt', self.last_ckpt)
    runner.save_checkpoint(
        self.out_dir,
        filename,
        self.file_client_args,
        save_optimizer=self.save_optimizer,
        save_param_scheduler=self.save_param_scheduler,
        meta=meta,
        by_epoch=self.by_epoch,
        backend_args=self.backend_args,
        **self.args)
    if self.max_keep_ckpts > 0:
        runner.message_hub.update_info('keep_ckpt_ids',
                                       list(self.keep_ckpt_ids))
    if not is_main_process():
        return
    atomic_write_text(
        osp.join(runner.work_dir, 'last_checkpoint'), str(self.last_ckpt))
    if stale is not None and stale != step:
        _remove(self.file_backend,
                self.file_backend.join_path(
                    self.out_dir, self.filename_tmpl.format(stale)))


class _DeferredRemoval:
    """A file backend whose removals wait until :meth:`flush`."""

    def __init__(self, backend) -> None:
        self._backend = backend
        self.pending: List[Tuple[str, str]] = []

    def __getattr__(self, name: str):
        return getattr(self._backend, name)

    def remove(self, path) -> None:
        self.pending.append(('remove', str(path)))

    def rmtree(self, path) -> None:
        self.pending.append(('rmtree', str(path)))

    def flush(self, keep) -> None:
        for method, path in self.pending:
            if path not in keep:
                getattr(self._backend, method)(path)


_original_save_best = CheckpointHook._save_best_checkpoint


def _save_best_checkpoint(self, runner, metrics) -> None:
    """Remove the previous ``best_*`` checkpoint after the new one exists."""
    backend = getattr(self, 'file_backend', None)
    if backend is None or isinstance(backend, _DeferredRemoval):
        return _original_save_best(self, runner, metrics)
    deferred = _DeferredRemoval(backend)
    self.file_backend = deferred
    try:
        _original_save_best(self, runner, metrics)
    finally:
        self.file_backend = backend
    keep = {str(self.last_ckpt), str(getattr(self, 'best_ckpt_path', None))}
    keep.update(str(p) for p in getattr(self, 'best_ckpt_path_dict',
                                        {}).values())
    deferred.flush(keep)


def install_atomic_checkpoints() -> None:
    """Patch MMEngine's savers; idempotent."""
    mmengine_checkpoint.save_checkpoint = save_checkpoint
    mmengine_runner.save_checkpoint = save_checkpoint
    import mmengine.runner
    mmengine.runner.save_checkpoint = save_checkpoint
    CheckpointHook._save_checkpoint_with_step = _save_checkpoint_with_step
    CheckpointHook._save_best_checkpoint = _save_best_checkpoint


__all__ = [
    'PART_SUFFIX', 'atomic_torch_save', 'atomic_write_text',
    'install_atomic_checkpoints', 'save_checkpoint'
]
