"""CMD's recurrent skeleton encoder (Mao et al., ECCV 2022), sequence form.

The published encoder is described as a 3-layer bidirectional GRU, but the
published code feeds it one frame at a time while carrying the hidden
state, so both cells of every layer run *forward* in time. That is the same
function as running, per layer, two independent unidirectional GRUs over
the whole sequence (see ``docs/cmd.md §7``), which is what this
module computes -- without a Python loop over frames for anything but the
unavoidable hidden-to-hidden recurrence.

Two implementations of the same parameters are provided (see
``cmd_plugin.models.layers.paired_gru``): ``'fused'`` (the CPU default), a
hand-written autograd function per layer whose backward costs 2x the
forward GEMM FLOPs, and ``'native'`` (the CUDA default), one ``nn.GRU``
call per cell, which maps to cuDNN's fused RNN kernels on a GPU.
``FrameLoopGRUEncoder`` (``tools/benchmarks/frame_loop_gru_encoder.py``)
is the frame-by-frame formulation of the same parameters, the reference
of the tests and the benchmark baseline.
"""
from typing import List, Optional, Sequence, Tuple

import torch
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmaction.registry import MODELS
from ..layers.paired_gru import PairedGRULayer

_DIRECTIONS = ('paired_forward', 'bidirectional')
_IMPLS = ('auto', 'fused', 'native')


@MODELS.register_module()
class GRUEncoder(BaseModule):
    """CMD's skeleton GRU encoder.

    Per frame the (V, C, M) values are flattened, person index fastest
    (feature ``(v * C + c) * M + m``), normalised by ``BatchNorm1d`` over
    batch and time, and fed to ``num_layers`` stacked layers. Each layer
    holds two GRUs of width ``hidden_size`` reading the same input; their
    outputs are concatenated (2H) and fed to the next layer. The output is
    the top layer's 2H vector at the last frame.

    ``direction='paired_forward'`` (default) runs both GRUs forwards in
    time, the function of the published (frame-by-frame) code.
    ``'bidirectional'`` runs the second GRU backwards in time, a true
    bidirectional GRU; its last-frame output has seen only the last frame
    in the backward half. It is a different model, kept for ablation.

    At the default NTU size (in_channels=3, num_joints=25, num_person=2,
    hidden 1024, 3 layers) the encoder has 44,998,956 parameters; with
    CMD's 2048-2048-128 projection head it is 49.46 M.

    Args:
        in_channels (int): Coordinates per joint C. Defaults to 3.
        num_joints (int): Joints V. Defaults to 25.
        num_person (int): Persons M. Defaults to 2.
        hidden_size (int): Hidden size of each GRU. Defaults to 1024.
        num_layers (int): Stacked layers. Defaults to 3.
        direction (str): 'paired_forward' or 'bidirectional'.
        impl (str): 'auto' (fused on CPU, native on CUDA), 'fused' (the
            hand-written sequence kernel) or 'native' (``nn.GRU`` per
            cell; cuDNN on a GPU). All give the same function.
        init_cfg (dict, optional): Initialisation config; None applies the
            published init (Xavier-uniform on every 2-D weight, biases and
            BatchNorm at PyTorch's defaults).
    """

    def __init__(self,
                 in_channels: int = 3,
                 num_joints: int = 25,
                 num_person: int = 2,
                 hidden_size: int = 1024,
                 num_layers: int = 3,
                 direction: str = 'paired_forward',
                 impl: str = 'auto',
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if direction not in _DIRECTIONS:
            raise ValueError(f'direction must be one of {_DIRECTIONS}, got '
                             f'{direction!r}')
        if impl not in _IMPLS:
            raise ValueError(f'impl must be one of {_IMPLS}, got {impl!r}')
        for key, value in (('in_channels', in_channels),
                           ('num_joints', num_joints),
                           ('num_person', num_person),
                           ('hidden_size', hidden_size),
                           ('num_layers', num_layers)):
            if int(value) != value or value < 1:
                raise ValueError(f'{key} must be a positive integer, got '
                                 f'{value!r}')
        self.in_channels = in_channels
        self.num_joints = num_joints
        self.num_person = num_person
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.direction = direction
        self.impl = impl
        self.num_features = num_joints * in_channels * num_person
        self.out_channels = 2 * hidden_size

        self.input_bn = nn.BatchNorm1d(self.num_features)
        reverse = direction == 'bidirectional'
        self.layers = nn.ModuleList([
            PairedGRULayer(self.num_features if i == 0 else 2 * hidden_size,
                           hidden_size, reverse_second=reverse)
            for i in range(num_layers)
        ])
        # Applied at construction too, so a model that is never passed
        # through init_weights (scripts, tests) has the published init.
        self._xavier_init()

    def _xavier_init(self) -> None:
        for p in self.layers.parameters():
            if p.dim() == 2:
                nn.init.xavier_uniform_(p)

    def init_weights(self) -> None:
        """Xavier-uniform on every 2-D weight unless ``init_cfg`` is set."""
        if self.init_cfg:
            super().init_weights()
        else:
            self._xavier_init()

    def resolve_impl(self, device: torch.device) -> str:
        """The implementation used for inputs on ``device``."""
        if self.impl != 'auto':
            return self.impl
        return 'native' if device.type == 'cuda' else 'fused'

    def check_input(self, x: Tensor) -> None:
        """Raise unless x is (N, M, T, V, C) with this encoder's M, V, C."""
        if x.dim() != 5:
            raise ValueError('GRUEncoder expects (N, M, T, V, C) inputs, got '
                             f'shape {tuple(x.shape)}')
        _, m, _, v, c = x.shape
        if (m, v, c) != (self.num_person, self.num_joints, self.in_channels):
            raise ValueError(
                f'GRUEncoder is built for M={self.num_person}, '
                f'V={self.num_joints}, C={self.in_channels}; got input of '
                f'shape (N, M, T, V, C) = {tuple(x.shape)}')

    def flatten_frames(self, x: Tensor) -> Tensor:
        """(N, M, T, V, C) -> time-major per-frame features (T, N, V*C*M),
        person index fastest.

        Args:
            x (Tensor): Skeletons in MMAction2's layout.

        Returns:
            Tensor: (T, N, F), contiguous; feature ``(v*C + c)*M + m``.
        """
        self.check_input(x)
        n, m, t, v, c = x.shape
        return x.permute(2, 0, 3, 4, 1).reshape(t, n, v * c * m)

    def normalize_frames(self, feats: Tensor) -> Tensor:
        """BatchNorm1d over the features, statistics over batch and time.

        Args:
            feats (Tensor): (T, N, F).

        Returns:
            Tensor: (T, N, F).
        """
        t, n, f = feats.shape
        return self.input_bn(feats.reshape(t * n, f)).view(t, n, f)

    def forward_sequence(self, feats: Tensor) -> Tensor:
        """Run the stacked layers over normalised frames.

        Args:
            feats (Tensor): (T, N, F).

        Returns:
            Tensor: (T, N, 2H), the top layer's output at every frame.
        """
        impl = self.resolve_impl(feats.device)
        for layer in self.layers:
            feats = layer(feats, impl)
        return feats

    def forward(self, x: Tensor) -> Tensor:
        """Encode a batch of skeleton sequences.

        Args:
            x (Tensor): (N, M, T, V, C).

        Returns:
            Tensor: (N, 2 * hidden_size), top-layer output at the last frame.
        """
        feats = self.normalize_frames(self.flatten_frames(x))
        return self.forward_sequence(feats)[-1]


def gru_cell_weights(encoder: GRUEncoder) -> List[Sequence[Tuple[Tensor,
                                                                 ...]]]:
    """Per layer, per cell, (weight_ih, weight_hh, bias_ih, bias_hh): the
    encoder's parameters in ``nn.GRUCell`` argument order (for frame-loop
    references and conversions).

    Args:
        encoder (GRUEncoder): The encoder.

    Returns:
        list: ``[layer][cell] -> (w_ih, w_hh, b_ih, b_hh)``.
    """
    return [[layer.cell_params(c) for c in range(2)]
            for layer in encoder.layers]
