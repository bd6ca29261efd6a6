"""Settings a dataset decides and its pipeline's transforms follow.

A skeleton dataset's layout, persons per sample, clip length and shortest
temporal crop are set once, on the dataset (:class:`SkeletonDataset`);
every transform of its pipeline that takes one of them receives it from
there. A transform that names the setting itself must agree, so a child
config that changes the dataset cannot leave a stale value in a base
config's pipeline.
"""
import copy
from typing import Dict, List, Union

from ..skeleton.layouts import same_layout

# transform type -> {transform argument: dataset setting}
FOLLOWS: Dict[str, Dict[str, str]] = {
    'PreNormalize2sAGCN': dict(layout='layout'),
    'TemporalCropResize': dict(clip_len='clip_len',
                               min_length='min_crop_length'),
    'CenterCropResize': dict(clip_len='clip_len'),
    'FormatGCNInput': dict(num_person='num_person'),
    'SwapLeftRight': dict(layout='layout'),
    'StructuralSpatialMask': dict(layout='layout'),
    'ToModality': dict(layout='layout'),
}
SETTINGS = ('layout', 'num_person', 'clip_len', 'min_crop_length')


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
    for arg, setting in FOLLOWS.get(kind, {}).items():
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
