"""Gather a batch from every rank, in rank order, without gradient."""
import torch
from mmengine import dist
from torch import Tensor


@torch.no_grad()
def concat_all_gather(tensor: Tensor) -> Tensor:
    """Concatenate ``tensor`` from all ranks along dim 0 (rank 0 first).

    Without a process group (or with one rank) the input is returned as is,
    so single-process training needs no special case.

    Args:
        tensor (Tensor): Same shape on every rank.

    Returns:
        Tensor: (world_size * N, ...), detached.
    """
    if dist.get_world_size() == 1:
        return tensor.detach()
    return torch.cat(dist.all_gather(tensor.detach()), dim=0)
