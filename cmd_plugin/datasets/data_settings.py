"""Settings a dataset decides and its pipeline's transforms follow.

A skeleton dataset's layout, persons per sample, clip length and shortest
temporal crop are set once, on the dataset (:class:`SkeletonDataset`);
every transform of its pipeline that takes one of them receives it from
there. A transform says which where it is defined, as a class attribute
``data_settings = {argument: dataset setting}`` (e.g.
``dict(layout='layout')``), and gives those arguments no default, so a
transform built without its dataset fails instead of assuming NTU. A
transform that names the setting itself must agree, so a child config
that changes the dataset cannot leave a stale value in a base config's
pipeline.
"""
import copy
from typing import Dict, List, Union

from ..skeleton.layouts import same_layout

# MMAction2's transforms, which cannot declare it themselves
_STOCK: Dict[str, Dict[str, str]] = {
    'FormatGCNInput': dict(num_person='num_person'),
}
SETTINGS = ('layout', 'num_person', 'clip_len', 'min_crop_length')


def follows(kind) -> Dict[str, str]:
    """``{argument: dataset setting}`` of the transform type ``kind``."""
    if not isinstance(kind, str):
        return getattr(kind, 'data_settings', None) or {}
    if kind in _STOCK:
        return _STOCK[kind]
    from mmaction.registry import TRANSFORMS
    cls = TRANSFORMS.get(kind)
    return getattr(cls, 'data_settings', None) or {}


def apply_data_settings(pipeline: List[Union[dict, object]],
                        settings: Dict[str, object],
                        owner: str) -> List[Union[dict, object]]:
    """Return a copy of ``pipeline`` with the dataset's settings filled in.

    Args:
        pipeline (list): Transform configs; nested ``transforms`` lists
            (multi-view and choice wrappers) are filled too. Built
            transforms are passed through unchanged.
        settings (dict): The dataset's settings (absent or None: not set).
        owner (str): How error messages name the dataset.

    Raises:
        ValueError: A transform needs a setting the dataset does not give,
            or names a value that differs from the dataset's.
    """
    settings = {k: v for k, v in settings.items() if v is not None}
    return [
        _fill(t, settings, owner, f'pipeline[{i}]')
        for i, t in enumerate(pipeline)
    ]


def _fill(transform, settings: dict, owner: str, path: str):
    if isinstance(transform, (list, tuple)):  # a sub-pipeline in a wrapper
        return [_fill(t, settings, owner, f'{path}[{i}]')
                for i, t in enumerate(transform)]
    if not isinstance(transform, dict):
        return transform
    transform = copy.deepcopy(transform)
    kind = transform.get('type')
    for arg, setting in follows(kind).items():
        if setting not in settings:
            if arg not in transform:
                raise ValueError(
                    f'{owner}: {path} ({kind}) takes {arg} from the '
                    f'dataset, which sets no {setting}. Set {setting}= on '
                    'the dataset config (e.g. train_dataloader.dataset.'
                    f'{setting}).')
            continue
        value = settings[setting]
        if arg in transform and not _same(setting, transform[arg], value):
            raise ValueError(
                f'{owner}: {path} ({kind}) sets {arg}={transform[arg]!r} '
                f'but the dataset\'s {setting} is {value!r}. Remove {arg} '
                'from the transform (it follows the dataset) or change the '
                f"dataset's {setting}.")
        transform[arg] = value
    if isinstance(transform.get('transforms'), (list, tuple)):
        transform['transforms'] = [
            _fill(t, settings, owner, f'{path}.transforms[{i}]')
            for i, t in enumerate(transform['transforms'])
        ]
    return transform


def _same(setting: str, a, b) -> bool:
    if setting == 'layout':
        return same_layout(a, b)
    return a == b
