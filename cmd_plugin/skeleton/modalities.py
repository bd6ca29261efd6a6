"""Joint, motion and bone streams derived from one skeleton view.

CMD derives all three modalities from the *same* augmented view, so they are
computed inside the model rather than by the data pipeline. Every function
takes a tensor whose last three dimensions are (T, V, C) -- any leading
dimensions (batch, views, persons) are carried along untouched.

2-D keypoints carry a confidence score after their coordinates, (x, y,
score) (MMAction2's layout of 2-D skeletons). With ``coord_dims`` given,
only the first ``coord_dims`` channels are differenced; a score channel
becomes the *mean* of the two scores the difference reads -- frames t and
t + 1 for motion, the joint and its parent for a bone -- exactly what
MMAction2's ``ToMotion`` and ``JointToBone`` do for 2-D layouts, so a
stream here and a stock MMAction2 2-D multi-stream model read the same
values. (Keeping one frame's score would hide that the step also depends
on the other frame; the minimum, the stricter "as sure as the less sure
end", would let one missed detection (score 0) zero the confidence of
both neighbouring steps and part with MMAction2's values.)
"""
from typing import Optional, Sequence, Union

import torch
from torch import Tensor

MODALITIES = ('joint', 'motion', 'bone')

Parents = Union[Sequence[int], Tensor]


def joint(x: Tensor) -> Tensor:
    """J(x) = x.

    Args:
        x (Tensor): Skeletons of shape (..., T, V, C).

    Returns:
        Tensor: ``x`` itself.
    """
    return x


def _coords(x: Tensor, coord_dims: Optional[int]) -> int:
    """How many leading channels of ``x`` are coordinates (all of them
    unless ``coord_dims`` says fewer)."""
    channels = x.shape[-1]
    return channels if coord_dims is None else min(int(coord_dims), channels)


def motion(x: Tensor, coord_dims: Optional[int] = None) -> Tensor:
    """M(x)[t] = x[t + 1] - x[t], with the last frame set to zero.

    Args:
        x (Tensor): Skeletons of shape (..., T, V, C).
        coord_dims (int, optional): Coordinates per joint; channels after
            them are scores, whose motion is (s[t] + s[t + 1]) / 2 (see the
            module doc). None: every channel is a coordinate.

    Returns:
        Tensor: Frame differences, same shape as ``x``.
    """
    d = _coords(x, coord_dims)
    out = torch.zeros_like(x)
    out[..., :-1, :, :d] = x[..., 1:, :, :d] - x[..., :-1, :, :d]
    if d < x.shape[-1]:
        out[..., :-1, :, d:] = (x[..., 1:, :, d:] + x[..., :-1, :, d:]) / 2
    return out


def bone(x: Tensor, parents: Parents,
         coord_dims: Optional[int] = None) -> Tensor:
    """B(x)[v] = x[v] - x[parent(v)]; the root is its own parent, so its
    bone is zero.

    Args:
        x (Tensor): Skeletons of shape (..., T, V, C).
        parents (Sequence[int] | Tensor): 0-based parent of each of the V
            joints, e.g. ``cmd_plugin.skeleton.layouts.bone_parents(layout)``.
        coord_dims (int, optional): Coordinates per joint; channels after
            them are scores, whose bone value is (s[v] + s[parent(v)]) / 2
            (the root keeps its own score; see the module doc). None: every
            channel is a coordinate.

    Returns:
        Tensor: Bone vectors, same shape as ``x``.
    """
    index = torch.as_tensor(parents, dtype=torch.long, device=x.device)
    if index.numel() != x.shape[-2]:
        raise ValueError(
            f'bone() got {index.numel()} parents for {x.shape[-2]} joints; '
            'the layout must match the skeletons (V is dim -2)')
    parent = x.index_select(-2, index)
    d = _coords(x, coord_dims)
    if d == x.shape[-1]:
        return x - parent
    return torch.cat([x[..., :d] - parent[..., :d],
                      (x[..., d:] + parent[..., d:]) / 2], dim=-1)


def to_modality(x: Tensor, name: str, parents: Parents,
                coord_dims: Optional[int] = None) -> Tensor:
    """Derive the modality ``name`` (one of :data:`MODALITIES`) from ``x``.

    Args:
        x (Tensor): Skeletons of shape (..., T, V, C).
        name (str): 'joint', 'motion' or 'bone'.
        parents (Sequence[int] | Tensor): Bone parents, used by 'bone' only.
        coord_dims (int, optional): Coordinates per joint, e.g.
            ``coordinate_dims(layout)``; channels after them are scores
            (see the module doc). None: every channel is a coordinate.

    Returns:
        Tensor: The modality, same shape as ``x``.
    """
    if name == 'joint':
        return joint(x)
    if name == 'motion':
        return motion(x, coord_dims)
    if name == 'bone':
        return bone(x, parents, coord_dims)
    raise ValueError(f'unknown modality {name!r}; use one of {MODALITIES}')


def check_modalities(modalities: Sequence[str]) -> tuple:
    """Validate a ``modalities`` config value and return it as a tuple.

    Raises:
        ValueError: Empty, a bare string, unknown or repeated names.
    """
    if isinstance(modalities, str) or len(modalities) == 0:
        raise ValueError(
            f'modalities must be a non-empty list of names from '
            f'{MODALITIES}, e.g. modalities={list(MODALITIES)}; got '
            f'{modalities!r}')
    unknown = [m for m in modalities if m not in MODALITIES]
    if unknown:
        raise ValueError(
            f'unknown modalities {unknown} in modalities={list(modalities)}; '
            f'choose from {MODALITIES}')
    repeated = sorted({m for m in modalities if list(modalities).count(m) > 1})
    if repeated:
        raise ValueError(
            f'modalities={list(modalities)} repeats {repeated}; list each '
            'modality once (each gets its own encoder and queue)')
    return tuple(modalities)
