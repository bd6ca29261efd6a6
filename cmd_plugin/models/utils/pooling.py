"""Reduce a backbone output to one feature vector per sample."""
from torch import Tensor


def global_pool(feat: Tensor) -> Tensor:
    """Average a skeleton backbone's output into (N, C).

    ST-GCN returns (N, M, C, T, V): the SkeletonCLR/AimCLR convention averages
    over persons, time and joints. Recurrent encoders already return (N, C).

    Args:
        feat (Tensor): (N, M, C, T, V) or (N, C).

    Returns:
        Tensor: (N, C).
    """
    if feat.dim() == 5:
        return feat.mean(dim=(1, 3, 4))
    if feat.dim() == 2:
        return feat
    raise ValueError(
        f'global_pool expects a (N, M, C, T, V) or (N, C) backbone output, '
        f'got shape {tuple(feat.shape)}')
