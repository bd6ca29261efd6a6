"""What a checkpoint remembers of the skeleton its encoders were built for.

Pretraining writes ``checkpoint['meta']['skeleton']``: the layout's full
definition, the joints, persons, coordinates per joint and clip length.
Whatever loads the encoders later -- evaluation, fine-tuning,
``tools/test.py``, the export -- compares it with its own layout and
refuses another skeleton: an encoder loads into any model of the same
widths, and trains there without a word.
"""
from typing import Optional, Union

from .layouts import as_definition, layout_difference, layout_label
from .layouts import same_layout

META_KEY = 'skeleton'


class SkeletonMismatchError(ValueError):
    """A checkpoint was trained on another skeleton than the one asked
    for."""


def skeleton_record(layout: Union[str, dict], **sizes) -> dict:
    """``{'layout': definition, 'num_joints': V, **sizes}``; sizes that
    are None are left out."""
    definition = as_definition(layout)
    record = dict(layout=definition, num_joints=definition['num_node'])
    record.update({k: int(v) for k, v in sizes.items() if v is not None})
    return record


def recorded_skeleton(checkpoint: dict) -> Optional[dict]:
    """The record of a loaded checkpoint dict, or None (written before
    checkpoints remembered it, or by another tool)."""
    meta = checkpoint.get('meta') if isinstance(checkpoint, dict) else None
    record = (meta or {}).get(META_KEY)
    return record if isinstance(record, dict) and 'layout' in record \
        else None


def check_skeleton(checkpoint: dict, layout: Union[str, dict], source: str,
                   user: str) -> None:
    """Raise unless ``checkpoint`` was trained for ``layout``.

    Args:
        checkpoint (dict): A loaded checkpoint.
        layout (str | dict): The layout of whoever loads it.
        source (str): The checkpoint's path, for the message.
        user (str): Who loads it and how its layout is set, e.g.
            ``'model.layout'``.

    Raises:
        SkeletonMismatchError: Another layout, naming both.
    """
    record = recorded_skeleton(checkpoint)
    if record is None or same_layout(record['layout'], layout):
        return
    raise SkeletonMismatchError(
        f'{source} was trained on the layout '
        f'{layout_label(record["layout"])} but {user} is '
        f'{layout_label(layout)} (they differ in: '
        f'{layout_difference(record["layout"], layout)}). An encoder only '
        'means something on the joints it was trained on: evaluate it on '
        'data of its own layout, or pretrain on this data.')
