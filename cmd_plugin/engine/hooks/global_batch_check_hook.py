"""Check, before the first iteration, what needs the world size."""
from mmengine.dist import get_world_size
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmaction.registry import HOOKS
from ...models.selfsup.base import BaseMoCo


@HOOKS.register_module()
class GlobalBatchCheckHook(Hook):
    """Fail fast when the queue and the global batch do not fit together,
    and say when the global batch is not the recipe's.

    The queue rules (full batches, queue tiled by the global batch, at most
    one epoch of keys) are :meth:`BaseMoCo.check_training_setup`; they can
    only run once the loader and the process group exist.
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        model = runner.model
        if is_model_wrapper(model):
            model = model.module
        loader = runner.train_dataloader
        world_size = get_world_size()
        if isinstance(model, BaseMoCo):
            model.check_training_setup(
                batch_size=loader.batch_size,
                world_size=world_size,
                drop_last=bool(getattr(loader, 'drop_last', False)),
                num_samples=len(loader.dataset))
        self._warn_recipe_batch(runner, loader.batch_size, world_size)

    @staticmethod
    def _warn_recipe_batch(runner, batch_size: int, world_size: int) -> None:
        cfg = getattr(runner, 'cfg', None)
        scale = cfg.get('auto_scale_lr') if cfg is not None else None
        if not scale or not scale.get('base_batch_size'):
            return
        recipe = int(scale['base_batch_size'])
        global_batch = batch_size * world_size
        if global_batch == recipe or scale.get('enable', False):
            return
        runner.logger.warning(
            f'global batch {global_batch} ({world_size} process(es) x '
            f'train_dataloader.batch_size={batch_size}) is not the recipe\'s '
            f'{recipe} (auto_scale_lr.base_batch_size) and the learning rate '
            f'is not scaled. To keep the recipe, set '
            f'train_dataloader.batch_size={max(recipe // world_size, 1)} '
            f'for {world_size} process(es), or pass --auto-scale-lr to '
            'scale the learning rate linearly.')
