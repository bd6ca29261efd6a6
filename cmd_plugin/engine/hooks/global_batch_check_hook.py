"""Check, before the first iteration, what needs the world size."""
from mmengine.dist import get_world_size
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmaction.registry import HOOKS


@HOOKS.register_module()
class GlobalBatchCheckHook(Hook):
    """Fail fast when the queue and the global batch do not fit together.

    The queues are written one global batch at a time at a shared pointer,
    so the training loader must drop its short last batch and the queue size
    must be a multiple of ``batch_size * world_size``. Both are only known
    once the loader and the process group exist.
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        model = runner.model
        if is_model_wrapper(model):
            model = model.module
        loader = runner.train_dataloader
        if not getattr(loader, 'drop_last', False):
            raise ValueError(
                'train_dataloader must drop its short last batch: a partial '
                'batch breaks the queue alignment across modalities. Set '
                'train_dataloader.drop_last=True in the config.')
        if hasattr(model, 'check_global_batch'):
            model.check_global_batch(loader.batch_size, get_world_size())
