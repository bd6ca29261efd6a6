"""SCD-Net's encoder: two trunks and the decoupling module (Wu et al.,
AAAI 2024).

Phi_t and Phi_s are two trunks of one architecture with their own weights.
Phi_t's output is read with frames as tokens (temporal clue v_t), Phi_s's
with person-joints as tokens (spatial clue v_s). The token sizes follow
from the config -- clip length T, the trunk graph's V joints, its M persons
and width C' -- so the encoder fits any layout and clip length, not only
NTU's T=64, V=25, M=2.
"""
import copy
from typing import Optional, Tuple, Union

import torch
from mmengine.model import BaseModule
from torch import Tensor

from mmaction.registry import MODELS
from ..layers.decoupling import ClueBranch
from ..selfsup.checks import positive_int


@MODELS.register_module()
class SCDEncoder(BaseModule):
    """(N, M, T, V, C) skeletons -> temporal and spatial clues (N, d) each.

    At the published size (CTR-GCN trunks 3 -> 64 -> 256 -> 64, T=64,
    V=25, M=2, d=2048) the tokens are (64, 3200) and (50, 4096).

    Args:
        trunk (dict): Config of each trunk, a ``CTRGCNTrunk`` when ``type``
            is left out; built twice, with separate weights.
        clip_len (int): Frames T of every input clip. Defaults to 64.
        embed_dim (int): d, the size of each clue. Defaults to 2048.
        num_heads (int): Attention heads of each transformer layer.
            Defaults to 8.
        dropout (float): Dropout of the transformer layers. Defaults to 0.1.
        out_type (str): What :meth:`forward` returns: 'clues', the pair
            (v_t, v_s) pretraining projects, or 'feature', the downstream
            [v_t; v_s] that a recognizer's head reads. Defaults to 'clues'.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 trunk: dict,
                 clip_len: int = 64,
                 embed_dim: int = 2048,
                 num_heads: int = 8,
                 dropout: float = 0.1,
                 out_type: str = 'clues',
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if out_type not in ('clues', 'feature'):
            raise ValueError(f"SCDEncoder out_type must be 'clues' or "
                             f"'feature', got {out_type!r}")
        self.out_type = out_type
        if not isinstance(trunk, dict):
            raise TypeError('SCDEncoder trunk must be a config dict, e.g. '
                            "dict(type='CTRGCNTrunk', graph_cfg=...), got "
                            f'{type(trunk).__name__}')
        trunk = dict(trunk)
        trunk.setdefault('type', 'CTRGCNTrunk')
        self.clip_len = positive_int(clip_len, 'encoder.clip_len')
        self.embed_dim = positive_int(embed_dim, 'encoder.embed_dim')
        self.trunk_t = MODELS.build(copy.deepcopy(trunk))
        self.trunk_s = MODELS.build(copy.deepcopy(trunk))
        self.num_person = int(self.trunk_t.num_person)
        self.num_joints = int(self.trunk_t.num_joints)
        width = int(self.trunk_t.out_channels)
        self.temporal = ClueBranch(self.num_person * self.num_joints * width,
                                   embed_dim, num_heads, dropout)
        self.spatial = ClueBranch(self.clip_len * width, embed_dim,
                                  num_heads, dropout)

    @property
    def out_channels(self) -> int:
        """Size of the downstream feature [v_t; v_s]."""
        return 2 * self.embed_dim

    def forward(self, x: Tensor) -> Union[Tensor, Tuple[Tensor, Tensor]]:
        """(N, M, T, V, C) -> (v_t, v_s), each (N, embed_dim), or with
        ``out_type='feature'`` their concatenation (N, 2 * embed_dim)."""
        clues = self.clues(x)
        return clues if self.out_type == 'clues' else torch.cat(clues, 1)

    def clues(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        """(N, M, T, V, C) -> (v_t, v_s), each (N, embed_dim)."""
        if x.dim() == 5 and x.shape[2] != self.clip_len:
            raise ValueError(
                f'SCDEncoder clip_len={self.clip_len} but the input has '
                f'T={x.shape[2]} frames (shape (N, M, T, V, C) = '
                f'{tuple(x.shape)}); set the encoder\'s clip_len to the '
                "pipeline's clip length")
        f_t = self.trunk_t(x)  # (N, M, C', T, V)
        n, m, c, t, v = f_t.shape
        # frames as tokens: (N, T, M*V*C')
        v_t = self.temporal(f_t.permute(0, 3, 1, 4, 2).reshape(n, t, -1))
        f_s = self.trunk_s(x)
        # person-joints as tokens: (N, M*V, T*C')
        v_s = self.spatial(f_s.permute(0, 1, 4, 3, 2).reshape(n, m * v, -1))
        return v_t, v_s

    def features(self, x: Tensor) -> Tensor:
        """The downstream feature [v_t; v_s], (N, 2 * embed_dim)."""
        return torch.cat(self.clues(x), dim=1)
