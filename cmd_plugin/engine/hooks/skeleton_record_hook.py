"""Checkpoints remember the skeleton their encoders were built for."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmaction.registry import HOOKS
from ...skeleton.record import META_KEY, check_skeleton, skeleton_record
from ...launch.model_from_data import primary_dataset


@HOOKS.register_module()
class SkeletonRecordHook(Hook):
    """Write ``meta['skeleton']`` (:mod:`cmd_plugin.skeleton.record`) into
    every checkpoint; refuse to load (``--resume``, ``load_from``,
    ``tools/test.py CHECKPOINT``) one trained on another layout."""

    priority = 'VERY_HIGH'

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        layout = getattr(_model(runner), 'layout', None)
        if layout is None:
            return
        _, dataset = primary_dataset(runner.cfg)
        dataset = dataset or {}
        model_cfg = runner.cfg.get('model') or {}
        record = skeleton_record(
            layout, num_person=dataset.get('num_person'),
            clip_len=dataset.get('clip_len'),
            in_channels=_in_channels(model_cfg))
        backbone = model_cfg.get('backbone')
        if isinstance(backbone, dict):  # what the export prints to load it
            record['backbone'] = _plain(backbone)
        checkpoint.setdefault('meta', {})[META_KEY] = record

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        layout = getattr(_model(runner), 'layout', None)
        if layout is not None:
            check_skeleton(checkpoint, layout, 'the loaded checkpoint',
                           "this run's model.layout")


def _model(runner):
    model = runner.model
    return model.module if is_model_wrapper(model) else model


def _in_channels(model: dict):
    node = model.get('backbone')
    if isinstance(node, dict) and isinstance(node.get('trunk'), dict):
        node = node['trunk']  # SCD-Net's encoder: its trunks read the data
    if isinstance(node, dict):
        return node.get('in_channels')
    return None


def _plain(value):
    # ConfigDicts and tuples as plain dicts and lists: a checkpoint's meta
    # must load with weights_only=True
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
