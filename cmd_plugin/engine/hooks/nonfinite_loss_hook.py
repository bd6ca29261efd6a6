"""Stop training on a NaN/inf loss before a broken checkpoint is written."""
import math
from typing import Optional, Sequence

from mmengine.hooks import Hook

from mmaction.registry import HOOKS


class NonFiniteLossError(FloatingPointError):
    """A loss term became NaN or infinite."""


@HOOKS.register_module()
class NonFiniteLossHook(Hook):
    """Raise as soon as any logged loss term is not finite.

    Runs right after each iteration, ahead of ``CheckpointHook`` (priority
    VERY_LOW), so the last checkpoint on disk is still a healthy one.
    """

    priority = 'ABOVE_NORMAL'

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch: Optional[Sequence[dict]] = None,
                         outputs: Optional[dict] = None) -> None:
        bad = {
            name: value
            for name, value in (outputs or {}).items()
            if name.startswith('loss') and not math.isfinite(float(value))
        }
        if bad:
            terms = ', '.join(f'{k}={v}' for k, v in bad.items())
            raise NonFiniteLossError(
                f'non-finite loss at iteration {runner.iter + 1} '
                f'(epoch {runner.epoch + 1}, batch {batch_idx}): {terms}. '
                'Training stopped before writing a checkpoint; the last '
                'checkpoint in the work dir is from before this iteration. '
                'Lower the learning rate, check the data for NaN/inf, or '
                'resume from that checkpoint.')
