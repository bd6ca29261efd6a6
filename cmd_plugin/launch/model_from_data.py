"""The model follows the data: its layout, sizes and class count are taken
from the dataset block and the annotation pickle, not written again.

Run by :class:`~cmd_plugin.engine.runner.SkeletonRunner` before the model
is built (the Runner builds the model before any dataset). The source is
the run's first dataset (the training set; the test set for
``tools/test.py``): what its config states, else what its pickle records
(:mod:`cmd_plugin.datasets.data_record`).

Filled where the model config leaves them out or sets them to None:

- ``model.layout``;
- in the encoder (``model.backbone`` and its ``trunk``): ``num_joints``
  (the layout's joints), ``num_person``, ``clip_len`` (the dataset's) and
  ``in_channels`` (the data's coordinates per joint), where the encoder
  takes them;
- ``model.cls_head.num_classes``; the datasets learn the head's class
  count, so a label out of range is refused when they load.

A value the model config does state must agree, else the error names both
and where to change them.
"""
import os.path as osp
from typing import Dict, Iterator, List, Optional, Tuple

from ..datasets.data_record import read_record
from .dataset_block import skeleton_datasets
from ..skeleton.layouts import (get_layout, layout_difference, layout_label,
                                same_layout)

# encoder sizes that follow the data: config key -> data setting
ENCODER_SIZES = {
    'num_joints': 'num_joints',
    'num_person': 'num_person',
    'clip_len': 'clip_len',
    'in_channels': 'channels',
}
_ENCODER_KEYS = ('backbone', 'trunk')
_LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


class DataSettingsError(ValueError):
    """The model config and the data disagree."""


def primary_dataset(cfg) -> Tuple[Optional[str], Optional[dict]]:
    """``(config path, dataset config)`` of the run's first dataset: the
    training set, else the test set; wrappers are looked through."""
    for loader in ('train_dataloader', 'test_dataloader', 'val_dataloader'):
        node = (cfg.get(loader) or {}).get('dataset')
        path = f'{loader}.dataset'
        while isinstance(node, dict):
            if node.get('ann_file') is not None:
                return path, node
            for key in ('dataset', 'reference'):
                if isinstance(node.get(key), dict):
                    node, path = node[key], f'{path}.{key}'
                    break
            else:
                if node.get('datasets'):
                    node, path = node['datasets'][0], f'{path}.datasets[0]'
                else:
                    break
    return None, None


def data_settings(cfg, read_data: bool = True) -> Dict[str, object]:
    """What the first dataset says: ``layout``, ``num_joints``,
    ``num_person``, ``clip_len``, ``channels``, ``num_classes`` (None where
    neither its config nor its pickle says), plus ``source``."""
    path, node = primary_dataset(cfg)
    if node is None:
        return {}
    settings = dict(source=path, layout=node.get('layout'),
                    num_person=node.get('num_person'),
                    clip_len=node.get('clip_len'),
                    num_classes=node.get('num_classes'), channels=None)
    ann_file = node['ann_file']
    if node.get('data_root') and not osp.isabs(ann_file):
        ann_file = osp.join(node['data_root'], ann_file)
    model = cfg.get('model') or {}
    head = model.get('cls_head')
    needed = settings['layout'] is None or (
        isinstance(head, dict) and head.get('num_classes') is None
        and settings['num_classes'] is None) or any(
            _left_to_data(node, 'in_channels')
            for _, node in _encoder_nodes(model))
    # a pickle is unpickled here only for what no config states (a record
    # is kept for the next launch); else only a kept record is used
    readable = osp.isfile(ann_file)
    record = None
    if read_data and readable:
        record = read_record(ann_file, cached_only=not needed)
    if record is not None:
        settings['channels'] = record['channels']
        if settings['layout'] is None:
            settings['layout'] = record['layout']
        if settings['num_classes'] is None:
            settings['num_classes'] = record['num_classes']
        if settings['num_classes'] is None and record['max_label'] is not None:
            # only a lower bound: the largest label seen
            settings['num_classes'] = record['max_label'] + 1
            settings['num_classes_seen'] = True
    settings['readable'] = readable
    settings['ann_file'] = ann_file
    if settings['layout'] is not None:
        settings['num_joints'] = int(
            get_layout(settings['layout'])['num_node'])
    return settings


def fill_model_from_data(cfg, read_data: bool = True) -> List[str]:
    """Fill and check ``cfg.model`` from the data (see the module doc),
    in place.

    Returns:
        list[str]: What was filled, for the log.

    Raises:
        DataSettingsError: A stated value disagrees with the data, or no
            layout is known.
    """
    model = cfg.get('model')
    settings = data_settings(cfg, read_data)
    if not isinstance(model, dict) or not settings:
        return []
    source = settings['source']
    filled = []
    layout = settings['layout']
    if _wants_layout(model):
        if model.get('layout') is None:
            if layout is None and not settings['readable']:
                raise DataSettingsError(
                    f'no skeleton layout: {source} states none and its '
                    f'pickle {settings["ann_file"]} does not exist to say '
                    'it. Make the pickle (tools/data/), or set layout= on '
                    'the dataset block.')
            if layout is None:
                raise DataSettingsError(
                    f'no skeleton layout: {source} states none and its '
                    'pickle records none. Set layout= on the dataset block '
                    "(e.g. layout='nturgb+d' for MMAction2's NTU pickles) "
                    'or write the layout into the pickle (its top-level '
                    '`layout`, a name or a definition).')
            model['layout'] = layout
            filled.append(f'model.layout = {layout_label(layout)}')
        elif layout is not None and not same_layout(model['layout'], layout):
            raise DataSettingsError(
                f'model.layout={layout_label(model["layout"])} but the data '
                f'({source}) has the layout {layout_label(layout)} (they '
                f'differ in: {layout_difference(model["layout"], layout)}). '
                'Remove model.layout: the model follows the data.')
    for key, node in _encoder_nodes(model):
        for size, setting in ENCODER_SIZES.items():
            value = settings.get(setting)
            if value is None:
                continue
            if _left_to_data(node, size):
                node[size] = value
                filled.append(f'{key}.{size} = {value}')
            elif size in node and node[size] != value:
                raise DataSettingsError(
                    f'{key}.{size}={node[size]!r} but the data ({source}) '
                    f'has {setting}={value!r}. Remove {key}.{size} (it '
                    'follows the data) or change the dataset block.')
    head = model.get('cls_head')
    classes = settings.get('num_classes')
    if isinstance(head, dict) and 'num_classes' in head:
        if head['num_classes'] is None:
            if classes is None:
                raise DataSettingsError(
                    f'model.cls_head.num_classes is not set and {source} '
                    'states no num_classes (nor does its pickle record '
                    'labels). Set num_classes on the dataset block.')
            head['num_classes'] = classes
            filled.append(f'model.cls_head.num_classes = {classes}')
        elif classes is not None and (
                head['num_classes'] < classes if settings.get(
                    'num_classes_seen') else head['num_classes'] != classes):
            has = (f'labels up to {classes - 1}' if settings.get(
                'num_classes_seen') else f'{classes} classes')
            raise DataSettingsError(
                f'model.cls_head.num_classes={head["num_classes"]} but the '
                f'data ({source}) has {has}. Remove '
                'model.cls_head.num_classes (it follows the data) or set '
                'num_classes on the dataset block.')
        _tell_datasets(cfg, head['num_classes'])
    return filled


def _takes(module_type, argument: str) -> bool:
    """Whether the registered model ``module_type`` has ``argument``."""
    import inspect

    from mmaction.registry import MODELS
    cls = MODELS.get(module_type) if isinstance(module_type, str) else None
    for klass in (cls.__mro__ if cls is not None else ()):
        if '__init__' not in vars(klass):
            continue
        params = inspect.signature(klass.__init__).parameters
        if argument in params:
            return True
        # a subclass passing **kwargs on takes what its base takes
        if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
            return False
    return False


def _left_to_data(node: dict, size: str) -> bool:
    """Whether an encoder config leaves ``size`` to the data: None, or
    left out of a type that takes it (its default is not the data's)."""
    if size in node:
        return node[size] is None
    return _takes(node.get('type'), size)


def _wants_layout(model: dict) -> bool:
    # every skeleton model of the plugin (and a user's subclass) takes a
    # layout; a stock MMAction2 recognizer does not
    return 'layout' in model or _takes(model.get('type'), 'layout')


def _encoder_nodes(model: dict, prefix: str = 'model'
                   ) -> Iterator[Tuple[str, dict]]:
    for key in _ENCODER_KEYS:
        node = model.get(key)
        if isinstance(node, dict):
            yield f'{prefix}.{key}', node
            yield from _encoder_nodes(node, f'{prefix}.{key}')


def _tell_datasets(cfg, num_classes: int) -> None:
    """Give every skeleton dataset without a class count the head's, so
    its labels are checked when it loads."""
    for loader in _LOADERS:
        dataset = (cfg.get(loader) or {}).get('dataset')
        for _, node, _ in skeleton_datasets(dataset):
            node.setdefault('num_classes', num_classes)
