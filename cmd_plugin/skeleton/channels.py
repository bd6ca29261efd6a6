"""What the channels of a keypoint array are: coordinates, then perhaps a
confidence score.

A 3-D skeleton is (x, y, z). A 2-D one (image keypoints of a pose
estimator) is (x, y) with a separate ``keypoint_score`` in MMAction2's
pickles, which the pipeline appends as a third channel (x, y, score). The
layout says how many coordinates its joints have (``coord_dims``); the
data must agree, or a score would be read as a depth (and rotated,
sheared, differenced as one) without a word.
"""
from typing import Union

from .layouts import coordinate_dims, layout_label, layout_name

_REGISTER_2D = ("register a 2-D copy of it, e.g. register_layout(dict("
                "get_layout({name!r}), name={name!r} + '-2d', "
                "coord_dims=2)) (cmd_plugin.skeleton.layouts)")


def data_coord_dims(channels: int, scored: bool,
                    layout: Union[str, dict], where: str) -> int:
    """Coordinates per joint of data whose keypoint has ``channels``
    channels (and a separate ``keypoint_score`` when ``scored``).

    Coordinates only (a 2-D projection of a 3-D layout included) need
    ``channels <= coord_dims``; with a score, separate or already the last
    channel, the coordinates must be the layout's.

    Raises:
        ValueError: The data's coordinates are not the layout's, naming
            both and the fix.
    """
    dims = coordinate_dims(layout)
    name = layout_name(layout)
    label = f'layout {layout_label(layout)}' if name else \
        layout_label(layout)
    if scored and channels != dims:
        own = (_REGISTER_2D.format(name=name) if name else
               'add coord_dims=2 to its definition')
        fix = (f'use a 2-D layout (\'coco\' for COCO-17 keypoints) or '
               + own) if channels == 2 else 'use a layout with coord_dims=3'
        raise ValueError(
            f'{where}: keypoint has {channels} coordinates per joint and a '
            f'keypoint_score, but {label} has {dims}-D joints '
            f'(coord_dims={dims}): the score would be read as a '
            f'coordinate. Set the dataset\'s layout to one of {channels}-D '
            f'joints: {fix}.')
    if scored or 2 <= channels <= dims:
        return channels
    if channels == dims + 1:  # the score already a channel: x, y, score
        return dims
    raise ValueError(
        f'{where}: keypoint has {channels} channels per joint but {label} '
        f'has {dims} coordinates (and at most one score after them). '
        'Check the converter, or set the layout the data was made for.')
