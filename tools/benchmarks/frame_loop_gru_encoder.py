"""The frame-by-frame formulation of :class:`GRUEncoder` -- what the
published code runs -- as the one reference of the codebase: the tests
check the sequence form against it and the benchmark times it as the
baseline."""
import torch
from torch import Tensor

from mmaction.registry import MODELS
from cmd_plugin.models.backbones.gru_encoder import GRUEncoder, gru_cell_weights


def frame_loop_forward(encoder: GRUEncoder, x: Tensor) -> Tensor:
    """Run ``encoder``'s parameters one frame at a time.

    Written independently of the encoder's own flattening, normalisation
    and layers: flatten (V, C, M) person index fastest, ``input_bn`` over
    batch and time, then one ``gru_cell`` (``nn.GRUCell``'s kernel) per
    cell per frame, carrying the hidden states, both cells of a layer
    forward in time. The parameters are used, not copied, so gradients
    reach ``encoder``.

    Args:
        encoder (GRUEncoder): Parameters and sizes;
            ``direction='paired_forward'`` only.
        x (Tensor): (N, M, T, V, C).

    Returns:
        Tensor: (N, 2H), the top layer's output at the last frame.
    """
    if encoder.direction != 'paired_forward':
        raise ValueError(
            'frame_loop_forward runs both cells forwards in time; got an '
            f'encoder with direction={encoder.direction!r}. Use '
            "direction='paired_forward'.")
    encoder.check_input(x)
    n, m, t, v, c = x.shape
    # (N, M, T, V, C) -> (T, N, V, C, M): person index fastest, and each
    # frame's (N, F) slice contiguous for its products.
    flat = x.permute(2, 0, 3, 4, 1).reshape(t * n, v * c * m)
    frames = encoder.input_bn(flat).view(t, n, -1)

    weights = gru_cell_weights(encoder)
    state = [[x.new_zeros(n, encoder.hidden_size) for _ in range(2)]
             for _ in weights]
    inp = None
    for step in range(t):
        inp = frames[step]
        for layer, cells in enumerate(weights):
            for i, (w_ih, w_hh, b_ih, b_hh) in enumerate(cells):
                state[layer][i] = torch.ops.aten.gru_cell(
                    inp, state[layer][i], w_ih, w_hh, b_ih, b_hh)
            inp = torch.cat(state[layer], dim=1)
    return inp


@MODELS.register_module()
class FrameLoopGRUEncoder(GRUEncoder):
    """:class:`GRUEncoder` computed frame by frame (same parameters and
    state dict, same function; slower). Paired-forward direction only."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.direction != 'paired_forward':
            raise ValueError(
                'FrameLoopGRUEncoder runs both cells forwards in time; '
                f'got direction={self.direction!r}. Use '
                "direction='paired_forward' or GRUEncoder.")

    def forward(self, x: Tensor) -> Tensor:
        """(N, M, T, V, C) -> (N, 2H), top-layer output at the last frame."""
        return frame_loop_forward(self, x)
