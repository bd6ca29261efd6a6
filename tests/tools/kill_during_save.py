"""A hook that freezes a checkpoint save half-written, so a test can kill
the training process at the worst moment."""
import io
import os
import time

import torch
from mmengine.hooks import Hook

from mmaction.registry import HOOKS


@HOOKS.register_module()
class FreezeMidSaveHook(Hook):
    """At the save of epoch ``epoch``: write half the bytes, flush, create
    ``$CMD_TEST_SAVE_MARKER`` and sleep until killed."""

    def __init__(self, epoch: int) -> None:
        self.epoch = epoch

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        if checkpoint['meta'].get('epoch') != self.epoch:
            return
        real_save = torch.save

        def half_save(obj, file, *args, **kwargs):
            buffer = io.BytesIO()
            real_save(obj, buffer, *args, **kwargs)
            data = buffer.getvalue()
            owned = isinstance(file, (str, os.PathLike))
            handle = open(file, 'wb') if owned else file
            handle.write(data[:len(data) // 2])
            handle.flush()
            try:
                os.fsync(handle.fileno())
            except OSError:  # MMEngine's own save writes to a BytesIO
                pass
            open(os.environ['CMD_TEST_SAVE_MARKER'], 'w').close()
            time.sleep(300)

        torch.save = half_save
