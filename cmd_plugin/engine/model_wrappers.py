"""DDP wrapper that never lets rank 0's buffers overwrite the other ranks'.

MMEngine passes ``broadcast_buffers=False`` to DDP only when the config has no
``model_wrapper_cfg``; any custom wrapper config falls back to DDP's default
``True``, which copies rank 0's buffers -- the MoCo queues included -- over
every rank on each forward and hides a missing ``all_gather``. CMD gathers
keys across ranks itself, so its buffers must stay rank-local.
"""
import torch
from mmengine.model import MMDistributedDataParallel
from mmengine.registry import MODEL_WRAPPERS


# The root registry, unlike every other part of the plugin: Runner.wrap_model
# resolves the type with MODEL_WRAPPERS.get(), which does not descend into
# mmaction's child registry.
@MODEL_WRAPPERS.register_module()
class BufferPreservingDDP(MMDistributedDataParallel):
    """``MMDistributedDataParallel`` with ``broadcast_buffers=False``.

    It also drops ``device_ids`` for a module on the CPU (the Runner passes
    ``[LOCAL_RANK]``, which DDP rejects for CPU modules), so CPU-only torch
    runs the same multi-process code path over gloo.

    Args:
        module (nn.Module): The model to wrap.
        broadcast_buffers (bool): Must be False; accepted so that a config
            stating it explicitly is valid.
        **kwargs: Passed to ``MMDistributedDataParallel``.
    """

    def __init__(self, module: torch.nn.Module,
                 broadcast_buffers: bool = False, **kwargs) -> None:
        if broadcast_buffers:
            raise ValueError(
                'BufferPreservingDDP keeps broadcast_buffers=False: rank 0 '
                'would overwrite every rank\'s queues. Remove '
                'model_wrapper_cfg.broadcast_buffers or use '
                'MMDistributedDataParallel.')
        first = next(module.parameters(), None)
        if first is not None and first.device.type == 'cpu':
            kwargs['device_ids'] = None
            kwargs.pop('output_device', None)
        super().__init__(
            module=module, broadcast_buffers=False, **kwargs)
