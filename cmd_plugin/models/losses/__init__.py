from .infonce_loss import InfoNCELoss
from .mutual_distillation_loss import MutualDistillationLoss

__all__ = ['InfoNCELoss', 'MutualDistillationLoss']
