"""MoCo's InfoNCE loss against a queue of negatives."""
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mmaction.registry import MODELS
from ..utils.precision import full_precision


@MODELS.register_module()
class InfoNCELoss(nn.Module):
    """L = -log( exp(q.k/tau) / (exp(q.k/tau) + sum_i exp(q.Q_i/tau)) ).

    That is cross-entropy over the logits [q.k, q.Q_1, ..., q.Q_K] / tau with
    the positive at index 0. Only the query carries gradient.

    Args:
        temperature (float): tau. Defaults to 0.07.
        loss_weight (float): Multiplier of the loss. Defaults to 1.0.
    """

    def __init__(self, temperature: float = 0.07,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if temperature <= 0:
            raise ValueError(
                f'InfoNCELoss temperature must be > 0, got {temperature}')
        self.temperature = temperature
        self.loss_weight = loss_weight

    @full_precision
    def forward(self, query: Tensor, key: Tensor, queue: Tensor) -> Tensor:
        """Compute the loss.

        Args:
            query (Tensor): (N, D) L2-normalised queries q.
            key (Tensor): (N, D) L2-normalised positive keys k.
            queue (Tensor): (D, K) L2-normalised negative keys Q.

        Returns:
            Tensor: Scalar, batch mean.
        """
        # keys come from the EMA encoder: no gradient
        key = key.detach()
        queue = queue.detach()
        l_pos = (query * key).sum(dim=1, keepdim=True)  # (N, 1): q.k
        l_neg = query @ queue  # (N, K): q.Q_i
        logits = torch.cat([l_pos, l_neg], dim=1) / self.temperature
        target = logits.new_zeros(logits.shape[0], dtype=torch.long)
        return self.loss_weight * F.cross_entropy(logits, target)

    def extra_repr(self) -> str:
        return (f'temperature={self.temperature}, '
                f'loss_weight={self.loss_weight}')
