"""MMEngine's Runner, with the model following the data and a Ctrl-C that
says how to go on."""
import copy
import os.path as osp
import sys

from mmengine.runner import Runner

from mmaction.registry import RUNNERS
from ..utils.settled_config import settle_config


@RUNNERS.register_module()
class SkeletonRunner(Runner):
    """``runner_type='SkeletonRunner'`` (set by the plugin's runtime).

    Before anything is built, the loaders get the dataset block and the
    model its layout, encoder sizes and class count from the data
    (:func:`~cmd_plugin.utils.settled_config.settle_config`); what was
    filled is logged. A ``KeyboardInterrupt`` during training ends the run with one
    line naming the checkpoint directory and the ``--resume`` command,
    instead of a traceback.
    """

    @classmethod
    def from_cfg(cls, cfg) -> 'SkeletonRunner':
        cfg = copy.deepcopy(cfg)
        filled = settle_config(cfg)
        runner = super().from_cfg(cfg)
        for line in filled:
            runner.logger.info(f'from the data: {line}')
        return runner

    def train(self):
        try:
            return super().train()
        except KeyboardInterrupt:
            config = self.cfg.filename or 'CONFIG'
            print(f'\ninterrupted at epoch {self.epoch}, iteration '
                  f'{self.iter}. Checkpoints are in {osp.abspath(self.work_dir)}'
                  f'; go on from the last one with: python tools/train.py '
                  f'{config} --work-dir {self.work_dir} --resume',
                  file=sys.stderr)
            raise SystemExit(130) from None
