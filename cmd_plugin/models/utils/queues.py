"""MoCo key queues, one per modality, written at one shared pointer.

CMD's distillation shares neighbour *indices* across modalities: column i
must hold the same past sample in every queue. A single pointer and a single
``enqueue`` call for all modalities make that true by construction.
"""
from typing import Dict, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

SHORT_BATCH_FIX = (
    'Every training batch must be full: set train_dataloader.drop_last=True '
    '(a short last batch breaks the column alignment of the queues).')


class AlignedQueues(nn.Module):
    """L2-normalised (feat_dim, size) queues plus one shared pointer.

    Buffers: ``queue_<name>`` for every name and ``ptr`` (a 1-element long
    tensor), so they travel with the checkpoint and the device. The pointer
    is also kept on the host: reading the buffer each step would sync the
    device mid-forward; it is read back once after a checkpoint is loaded.

    Args:
        names (Sequence[str]): One queue per name (the modalities).
        feat_dim (int): Key dimension (rows of each queue).
        size (int): Number of keys kept (columns), K.
        seed (int): Seed of the initial random keys. Defaults to 0.
    """

    def __init__(self,
                 names: Sequence[str],
                 feat_dim: int,
                 size: int,
                 seed: int = 0) -> None:
        super().__init__()
        self.names = tuple(names)
        self.feat_dim = feat_dim
        self.size = size
        # Random unit vectors are harmless negatives until the queue fills.
        # A private generator makes them identical on every rank whatever
        # the global seed: DDP with broadcast_buffers=False does not sync
        # buffers, not even at construction.
        generator = torch.Generator().manual_seed(seed)
        for name in self.names:
            self.register_buffer(
                f'queue_{name}',
                F.normalize(
                    torch.randn(feat_dim, size, generator=generator), dim=0))
        self.register_buffer('ptr', torch.zeros(1, dtype=torch.long))
        self._host_ptr = 0

    def _load_from_state_dict(self, *args, **kwargs):
        super()._load_from_state_dict(*args, **kwargs)
        self._host_ptr = None  # the loaded buffer's, read on next enqueue

    def get(self, name: str) -> Tensor:
        """The live (feat_dim, size) queue of ``name``."""
        return getattr(self, f'queue_{name}')

    def snapshot(self) -> Dict[str, Tensor]:
        """Copies of all queues, detached.

        Losses must read copies: ``enqueue`` writes the buffers in place
        before ``backward`` reads what autograd saved.
        """
        return {name: self.get(name).detach().clone() for name in self.names}

    @torch.no_grad()
    def enqueue(self, keys: Dict[str, Tensor]) -> None:
        """Write one (global) batch of keys into every queue at ``ptr``.

        Args:
            keys (dict[str, Tensor]): (B, feat_dim) L2-normalised keys per
                name, rows in the same sample order for every name.

        Raises:
            ValueError: Missing names, unequal batches, or a batch that does
                not tile the queue (a short batch or a bad queue size).
        """
        if set(keys) != set(self.names):
            raise ValueError(f'enqueue needs keys for {self.names}, got '
                             f'{sorted(keys)}')
        batch = {name: k.shape[0] for name, k in keys.items()}
        if len(set(batch.values())) != 1:
            raise ValueError(f'enqueue got unequal batch sizes {batch}')
        b = next(iter(batch.values()))
        if self._host_ptr is None:
            self._host_ptr = int(self.ptr)
        ptr = self._host_ptr
        if self.size % b != 0:
            raise ValueError(
                f'queue size {self.size} is not a multiple of the global '
                f'batch {b}. {SHORT_BATCH_FIX} Otherwise choose queue_size '
                'as a multiple of batch_size x world_size.')
        if ptr % b != 0:
            raise ValueError(
                f'queue pointer {ptr} is not a multiple of the global batch '
                f'{b}: an earlier batch had another size. {SHORT_BATCH_FIX}')
        for name in self.names:
            self.get(name)[:, ptr:ptr + b] = keys[name].detach().t()
        self._host_ptr = (ptr + b) % self.size
        self.ptr.fill_(self._host_ptr)  # for checkpoints; no read back
