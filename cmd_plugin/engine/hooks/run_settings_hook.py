"""Record what defines a run in its checkpoints; resume only that run."""
from typing import Any, Dict

from mmengine.dist import get_world_size
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmaction.registry import HOOKS

META_KEY = 'run_settings'

# setting -> how to set it; also the order of the message
_HOW = {
    'model.type': 'model.type',
    'model.modalities': 'model.modalities',
    'model.queue_size': 'model.queue_size',
    'model.feat_dim': 'model.feat_dim',
    'train_dataloader.batch_size': 'train_dataloader.batch_size',
    'world_size': 'the number of processes (GPUs) launched',
    'global_batch': 'batch_size x number of processes',
}


class RunSettingsMismatchError(ValueError):
    """``--resume`` with settings that make it another run."""


def run_settings(runner) -> Dict[str, Any]:
    """The settings a resumed run must share with the one it continues."""
    model = runner.model
    if is_model_wrapper(model):
        model = model.module
    settings: Dict[str, Any] = {'model.type': type(model).__name__}
    for name in ('modalities', 'queue_size', 'feat_dim'):
        value = getattr(model, name, None)
        if value is not None:
            settings[f'model.{name}'] = (list(value) if isinstance(
                value, (tuple, list)) else value)
    # getattr: a runner without a train loop has no train_dataloader
    batch = getattr(getattr(runner, 'train_dataloader', None), 'batch_size',
                    None)
    world = get_world_size()
    settings['world_size'] = world
    if batch is not None:
        settings['train_dataloader.batch_size'] = batch
        settings['global_batch'] = batch * world
    return settings


@HOOKS.register_module()
class RunSettingsHook(Hook):
    """Store the run's settings in ``checkpoint['meta']``; check on resume.

    A resume with another queue size, feature size, model, per-rank batch or
    world size silently becomes a different run: MMEngine skips state of
    another shape (fresh queues) and accepts any batch. The stored settings
    are compared when ``--resume`` loads a checkpoint and every difference is
    named. ``load_from`` (a new run from the weights) is not checked here.
    """

    priority = 'VERY_HIGH'

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint.setdefault('meta', {})[META_KEY] = run_settings(runner)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if not getattr(runner, '_resume', False):
            return
        saved = (checkpoint.get('meta') or {}).get(META_KEY)
        if not saved:
            return  # written before this hook existed
        now = run_settings(runner)
        diffs = [
            f'  {key}: checkpoint {saved[key]!r}, now {now[key]!r} '
            f'(set by {_HOW.get(key, key)})' for key in _HOW
            if key in saved and key in now and saved[key] != now[key]
        ]
        if not diffs:
            return
        raise RunSettingsMismatchError(
            'refusing to resume: this run differs from the one that wrote '
            'the checkpoint in\n' + '\n'.join(diffs) + '\nResume with the '
            'original settings, or start a new run from these weights with '
            'load_from=CHECKPOINT (no --resume; fresh optimizer and '
            'schedule). When sizes changed, load the parts that fit with '
            "model.init_cfg=dict(type='Pretrained', checkpoint=CHECKPOINT) "
            'instead.')
