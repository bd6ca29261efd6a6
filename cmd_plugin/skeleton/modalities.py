"""Joint, motion and bone streams derived from one skeleton view.

CMD derives all three modalities from the *same* augmented view, so they are
computed inside the model rather than by the data pipeline. Every function
takes a tensor whose last three dimensions are (T, V, C) -- any leading
dimensions (batch, views, persons) are carried along untouched.
"""
from typing import Sequence, Union

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


def motion(x: Tensor) -> Tensor:
    """M(x)[t] = x[t + 1] - x[t], with the last frame set to zero.

    Args:
        x (Tensor): Skeletons of shape (..., T, V, C).

    Returns:
        Tensor: Frame differences, same shape as ``x``.
    """
    out = torch.zeros_like(x)
    out[..., :-1, :, :] = x[..., 1:, :, :] - x[..., :-1, :, :]
    return out


def bone(x: Tensor, parents: Parents) -> Tensor:
    """B(x)[v] = x[v] - x[parent(v)]; the root is its own parent, so its
    bone is zero.

    Args:
        x (Tensor): Skeletons of shape (..., T, V, C).
        parents (Sequence[int] | Tensor): 0-based parent of each of the V
            joints, e.g. ``cmd_plugin.skeleton.layouts.bone_parents(layout)``.

    Returns:
        Tensor: Bone vectors, same shape as ``x``.
    """
    index = torch.as_tensor(parents, dtype=torch.long, device=x.device)
    if index.numel() != x.shape[-2]:
        raise ValueError(
            f'bone() got {index.numel()} parents for {x.shape[-2]} joints; '
            'the layout must match the skeletons (V is dim -2)')
    return x - x.index_select(-2, index)


def to_modality(x: Tensor, name: str, parents: Parents) -> Tensor:
    """Derive the modality ``name`` (one of :data:`MODALITIES`) from ``x``.

    Args:
        x (Tensor): Skeletons of shape (..., T, V, C).
        name (str): 'joint', 'motion' or 'bone'.
        parents (Sequence[int] | Tensor): Bone parents, used by 'bone' only.

    Returns:
        Tensor: The modality, same shape as ``x``.
    """
    if name == 'joint':
        return joint(x)
    if name == 'motion':
        return motion(x)
    if name == 'bone':
        return bone(x, parents)
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
