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
    once the loader and the process group exist. The queue must also not
    hold more keys than an epoch yields, or a sample's own older keys would
    serve as its negatives.
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
        if not hasattr(model, 'check_global_batch'):
            return
        global_batch = loader.batch_size * get_world_size()
        model.check_global_batch(loader.batch_size, get_world_size())
        per_epoch = len(loader.dataset) // global_batch * global_batch
        if model.queue_size > per_epoch:
            raise ValueError(
                f'model.queue_size={model.queue_size} exceeds the '
                f'{per_epoch} keys one epoch yields ({len(loader.dataset)} '
                f'training samples, global batch {global_batch}, short '
                'batch dropped): older keys of a sample would be its own '
                'negatives. Use a queue_size <= that, a multiple of the '
                'global batch (and distill_loss.topk about half of it).')
