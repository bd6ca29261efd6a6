"""MMEngine's Runner, with the model following the data and a Ctrl-C that
says how to go on."""
import copy
import os
import os.path as osp
import sys
from typing import List

from mmengine.runner import Runner

from mmaction.registry import RUNNERS
from ..launch.settled_config import settle_config


@RUNNERS.register_module()
class SkeletonRunner(Runner):
    """``runner_type='SkeletonRunner'`` (set by the plugin's runtime).

    Before anything is built, the loaders get the dataset block and the
    model its layout, encoder sizes and class count from the data
    (:func:`~cmd_plugin.launch.settled_config.settle_config`); what was
    filled is logged. A ``KeyboardInterrupt`` during training ends the run with one
    line naming the checkpoint directory and the ``--resume`` command,
    instead of a traceback.
    """

    @classmethod
    def from_cfg(cls, cfg) -> 'SkeletonRunner':
        cfg = copy.deepcopy(cfg)
        filled = settle_config(cfg)
        fitted = fit_workers(cfg)
        honour_find_unused_parameters(cfg)
        runner = super().from_cfg(cfg)
        for line in filled:
            runner.logger.info(f'from the data: {line}')
        for line in fitted:
            runner.logger.info(line)
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


def available_cpus() -> int:
    """CPUs this process may run on (its affinity, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def fit_workers(cfg) -> List[str]:
    """Lower every loader's ``num_workers`` to the CPUs this process may
    use (PyTorch warns once per loader otherwise, and the extra workers
    only contend); says what it changed."""
    cpus = available_cpus()
    notes = []
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg.get(key)
        if isinstance(loader, dict) and (loader.get('num_workers') or 0) > cpus:
            notes.append(f'{key}.num_workers {loader["num_workers"]} -> '
                         f'{cpus} (the CPUs this process may use)')
            loader['num_workers'] = cpus
    return notes


def honour_find_unused_parameters(cfg) -> None:
    """Give a top-level ``find_unused_parameters`` to the DDP wrapper.

    MMEngine reads the top-level key only when the config has no
    ``model_wrapper_cfg``; the plugin's runtime sets one
    (``BufferPreservingDDP``), so the key would be ignored silently.

    Raises:
        ValueError: The wrapper config states another value.
    """
    value = cfg.get('find_unused_parameters')
    wrapper = cfg.get('model_wrapper_cfg')
    if value is None or not isinstance(wrapper, dict):
        return
    stated = wrapper.get('find_unused_parameters')
    if stated is not None and stated != value:
        raise ValueError(
            f'find_unused_parameters={value!r} but model_wrapper_cfg.'
            f'find_unused_parameters={stated!r}; set one of them')
    wrapper['find_unused_parameters'] = value
