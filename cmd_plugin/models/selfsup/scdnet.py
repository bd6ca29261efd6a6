"""SCD-Net: Spatiotemporal Clues Disentanglement Network (Wu et al.,
AAAI 2024), on the MoCo base.

One encoder yields a temporal clue v_t and a spatial clue v_s; three
projectors embed v_t, v_s and the global anchor [v_t; v_s]. Each clue is
contrasted with the anchor in both directions, with the key side's queue
as negatives -- four terms, no clue-to-itself and no t<->s term. See
``docs/scdnet.md §3`` (the encoder: §1-§2).
"""
import copy
from typing import Dict, List, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from .base import BaseMoCo

# (query clue, key clue): the term l(z_query^q, z_key^k, Q_key).
SCD_TERMS = (('t', 'g'), ('s', 'g'), ('g', 't'), ('g', 's'))
CLUES = ('t', 's', 'g')


class SCDQueryEncoder(nn.Module):
    """SCDEncoder plus the projectors g_t, g_s and g_g, one module so that
    the base makes one EMA key encoder of all of it.

    Args:
        backbone (dict): SCDEncoder config (the role every method calls
            ``backbone``: what a downstream model loads).
        feat_dim (int): Projection size (the queues' rows).
    """

    def __init__(self, backbone: dict, feat_dim: int) -> None:
        super().__init__()
        self.backbone = MODELS.build(backbone)
        d = self.backbone.embed_dim
        self.projectors = nn.ModuleDict({
            clue: MODELS.build(
                dict(type='SkeletonProjectionNeck', in_channels=width,
                     hid_channels=d, out_channels=feat_dim))
            for clue, width in (('t', d), ('s', d), ('g', 2 * d))
        })
        # As published: every matrix of the query encoder (token MLPs,
        # attention, feed-forward layers, projectors) is re-drawn
        # Xavier-uniform once built; the trunks hold no matrix (their
        # convolutions keep CTR-GCN's init). docs/scdnet.md §3.
        for param in self.parameters():
            if param.dim() == 2:
                nn.init.xavier_uniform_(param)

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        """(N, M, T, V, C) -> L2-normalised (z_t, z_s, z_g)."""
        v_t, v_s = self.backbone.clues(x)
        clues = dict(t=v_t, s=v_s, g=torch.cat([v_t, v_s], dim=1))
        return tuple(
            F.normalize(self.projectors[c](clues[c]), dim=1) for c in CLUES)


@MODELS.register_module()
class SCDNet(BaseMoCo):
    """SCD-Net pretraining: the four clue <-> anchor InfoNCE terms.

    Inputs after the data preprocessor: training (N, 2, M, T, V, C), view 0
    the query view and view 1 the key view; evaluation (N, 1, M, T, V, C)
    or (N, M, T, V, C). The modality (joint, motion, bone) is made by the
    pipeline; the model takes its input as it is.

    Args:
        backbone (dict): ``SCDEncoder`` config (``type`` may be left out);
            a trunk graph layout left out follows ``layout``.
        layout (str | dict): Skeleton layout of the inputs. Defaults to
            'nturgb+d'.
        modality (str): Name of the input modality, the key of the
            downstream feature in :meth:`stream_features`. Defaults to
            'joint'.
        queue_size (int): K, keys per queue. Defaults to 8192.
        feat_dim (int): Projection size. Defaults to 128.
        ema_momentum (float): Weight of the new parameters in the EMA:
            0.001 is MoCo's m = 0.999. Defaults to 0.001.
        contrast_loss (dict): InfoNCE config. Defaults to tau = 0.2.
        data_preprocessor (dict, optional): Defaults to
            ``dict(type='ActionDataPreprocessor')``.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 backbone: dict,
                 layout: Union[str, dict] = 'nturgb+d',
                 modality: str = 'joint',
                 queue_size: int = 8192,
                 feat_dim: int = 128,
                 ema_momentum: float = 0.001,
                 contrast_loss: dict = dict(
                     type='InfoNCELoss', temperature=0.2),
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        # one queue per clue, in BaseMoCo's argument order
        super().__init__(CLUES, layout, queue_size, feat_dim, ema_momentum,
                         contrast_loss, data_preprocessor, init_cfg)
        if not isinstance(modality, str) or not modality:
            raise ValueError(f'model.modality must be a name such as '
                             f"'joint', got {modality!r}")
        self.modality = modality
        self.init_encoders(dict(scd=SCDQueryEncoder(
            self.follow_layout(_backbone_cfg(backbone)), self.feat_dim)))

    def stream_features(self, inputs: Tensor) -> Dict[str, Tensor]:
        """``{modality: [v_t; v_s]}``, (N, 2d), of (N, M, T, V, C)."""
        encoder = self.query_encoders['scd'].backbone
        return {self.modality: encoder.features(inputs)}

    def loss(self, inputs: Tensor,
             data_samples: Optional[List[ActionDataSample]] = None
             ) -> Dict[str, Tensor]:
        """The four terms ``loss_<query>_<key>`` of one step, then the
        enqueue of the keys.

        Args:
            inputs (Tensor): (N, 2, M, T, V, C): query view, key view.
            data_samples (list, optional): Unused (self-supervised).
        """
        self.update_key_encoders()
        query = dict(zip(CLUES, self.query_encoders['scd'](inputs[:, 0])))
        with torch.no_grad():
            key = dict(zip(CLUES, self.key_encoders['scd'](inputs[:, 1])))
        # copies: the enqueue writes the buffers before backward runs
        negatives = self.queues.snapshot()
        losses = {
            f'loss_{q}_{k}': self.contrast_loss(query[q], key[k],
                                                negatives[k])
            for q, k in SCD_TERMS
        }
        self.enqueue(key)
        return losses


def _backbone_cfg(backbone: dict) -> dict:
    """The encoder config with its ``type`` filled in."""
    if not isinstance(backbone, dict) or 'trunk' not in backbone:
        raise ValueError(
            "SCDNet model.backbone must be dict(type='SCDEncoder', "
            f'trunk=dict(...), clip_len=...), got {backbone!r}')
    cfg = copy.deepcopy(backbone)
    cfg.setdefault('type', 'SCDEncoder')
    return cfg
