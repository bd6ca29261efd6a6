"""Validate once before training: the random-initialisation reference."""
from mmengine.hooks import Hook

from mmaction.registry import HOOKS


@HOOKS.register_module()
class ValAtStartHook(Hook):
    """Run the validation loop before the first epoch of a fresh run.

    For self-supervised pretraining the kNN accuracy of the randomly
    initialised encoders is the baseline every later epoch is read against;
    it is logged as epoch 0. Skipped when resuming.
    """

    # after every other before_train hook (CheckpointHook sets up its file
    # backend there and is called by the validation's after_val_epoch)
    priority = 'LOWEST'

    def before_train(self, runner) -> None:
        if runner.iter == 0 and runner.val_loop is not None:
            runner.val_loop.run()
