"""Say at the end of an evaluation run which number is the protocol's."""
from typing import Dict, List, Optional, Tuple

from mmengine.hooks import Hook

from mmaction.registry import HOOKS


@HOOKS.register_module()
class EvalSummaryHook(Hook):
    """Log the last validation's metrics as the reported result, and the
    best over epochs beside it, labelled as selected on the evaluation
    split (the authors' code reports that one; it is optimistic).

    Args:
        metric (str): The metric the best is taken over. Defaults to
            'acc/top1'.
    """

    priority = 'LOW'

    def __init__(self, metric: str = 'acc/top1') -> None:
        self.metric = metric
        self.history: List[Tuple[int, Dict[str, float]]] = []

    def after_val_epoch(self, runner, metrics: Optional[Dict] = None) -> None:
        if metrics:
            self.history.append((runner.epoch, {
                k: float(v) for k, v in metrics.items()
                if isinstance(v, (int, float))
            }))

    def after_train(self, runner) -> None:
        summary = self.summary()
        if summary:
            runner.logger.info(summary)

    def summary(self) -> str:
        """The two lines, or '' before any validation with the metric."""
        scored = [(e, m) for e, m in self.history if self.metric in m]
        if not scored:
            return ''
        last_epoch, last = scored[-1]
        best_epoch, best = max(scored, key=lambda em: em[1][self.metric])
        shown = ', '.join(f'{k} {100 * v:.2f}' for k, v in last.items())
        return (f'evaluation result (last epoch, {last_epoch}): {shown}\n'
                f'best {self.metric} over epochs: '
                f'{100 * best[self.metric]:.2f} at epoch {best_epoch} '
                '(selected on the evaluation split; not the protocol\'s '
                'number)')
