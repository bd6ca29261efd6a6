"""CMD's cross-modal mutual distillation loss (docs/cmd.md §3)."""
import torch.nn.functional as F
from torch import Tensor, nn

from mmaction.registry import MODELS
from ..utils.precision import full_precision


@MODELS.register_module()
class MutualDistillationLoss(nn.Module):
    """KL from a teacher modality's neighbour distribution to a student's.

    Teacher a (its key k^a and queue Q^a), student b (its query q^b and its
    own queue Q^b)::

        s^a       = k^a . Q^a                         (no grad)
        N^a       = top-k indices of s^a
        p^a       = softmax_{i in N^a}(s^a_i / tau_T)
        r^b_i     = q^b . Q^b_i,  i in N^a
        p^{b|a}   = softmax_{i in N^a}(r^b_i / tau_S)
        L_{a->b}  = mean_n KL(p^a_n || p^{b|a}_n)     (no tau^2 factor)

    Queue column i must hold the same past sample in Q^a and Q^b (shared
    enqueue pointer), which is what lets N^a index Q^b. Only q^b gets
    gradient.

    Args:
        teacher_temperature (float): tau_T (sharp). Defaults to 0.05.
        student_temperature (float): tau_S (soft). Defaults to 0.1.
        topk (int): Neighbours kept, k; half the queue as published.
            Defaults to 8192.
        loss_weight (float): lambda. Defaults to 1.0.
    """

    def __init__(self,
                 teacher_temperature: float = 0.05,
                 student_temperature: float = 0.1,
                 topk: int = 8192,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if teacher_temperature <= 0 or student_temperature <= 0:
            raise ValueError(
                'MutualDistillationLoss temperatures must be > 0, got '
                f'teacher_temperature={teacher_temperature}, '
                f'student_temperature={student_temperature}')
        if int(topk) < 1:
            raise ValueError(
                f'MutualDistillationLoss topk must be >= 1, got {topk}')
        self.teacher_temperature = teacher_temperature
        self.student_temperature = student_temperature
        self.topk = int(topk)
        self.loss_weight = loss_weight

    @full_precision
    def forward(self, teacher_key: Tensor, teacher_queue: Tensor,
                student_query: Tensor, student_queue: Tensor) -> Tensor:
        """Compute L_{a->b}.

        Args:
            teacher_key (Tensor): (N, D) L2-normalised k^a.
            teacher_queue (Tensor): (D, K) Q^a.
            student_query (Tensor): (N, D) L2-normalised q^b.
            student_queue (Tensor): (D, K) Q^b, columns aligned with Q^a.

        Returns:
            Tensor: Scalar, weighted by ``loss_weight``.
        """
        if self.topk > teacher_queue.shape[1]:
            raise ValueError(
                f'topk={self.topk} exceeds the queue size '
                f'{teacher_queue.shape[1]}; set distill_loss.topk <= '
                'queue_size (half of it as published)')
        # Teacher: similarities, neighbour indices and targets are constants.
        s_a = teacher_key.detach() @ teacher_queue.detach()  # (N, K)
        s_a_top, neighbours = s_a.topk(self.topk, dim=1)  # (N, k)
        log_p_a = F.log_softmax(s_a_top / self.teacher_temperature, dim=1)
        p_a = log_p_a.exp()

        # Student: its own queue at the teacher's indices; only q^b learns.
        r_b = (student_query @ student_queue.detach()).gather(
            1, neighbours)
        log_p_b_given_a = F.log_softmax(
            r_b / self.student_temperature, dim=1)

        kl = (p_a * (log_p_a - log_p_b_given_a)).sum(dim=1)  # (N,)
        return self.loss_weight * kl.mean()

    def extra_repr(self) -> str:
        return (f'teacher_temperature={self.teacher_temperature}, '
                f'student_temperature={self.student_temperature}, '
                f'topk={self.topk}, loss_weight={self.loss_weight}')
