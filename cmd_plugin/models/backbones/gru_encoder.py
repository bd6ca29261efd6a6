"""CMD's recurrent skeleton encoder (Mao et al., ECCV 2022), sequence form.

The published encoder is described as a 3-layer bidirectional GRU, but the
published code feeds it one frame at a time while carrying the hidden
state, so both cells of every layer run *forward* in time. That is the same
function as running, per layer, two independent unidirectional GRUs over
the whole sequence (see ``docs/cmd-spec.md`` section 4), which is what this
module computes -- without a Python loop over frames for anything but the
unavoidable hidden-to-hidden recurrence.

Two implementations of the same parameters are provided:

* ``'fused'`` (the CPU default): a hand-written autograd function per layer.
  The input projections of all T*N rows are computed up front (M = T*N
  GEMMs, written into one buffer holding both cells); per step only the
  two hidden-to-hidden products remain, run on weights packed once per
  call (oneDNN on CPU); the backward recurrence only propagates dh, and
  dW_ih, dW_hh and dx are then large GEMMs over all T*N rows (instead of
  T rank-N updates); the gate arithmetic runs in place in preallocated
  buffers. Backward costs 2x the forward GEMM FLOPs, as it should.
* ``'native'`` (the CUDA default): one ``nn.GRU`` call per cell, which maps
  to cuDNN's fused RNN kernels on a GPU.
"""
from typing import List, Optional, Sequence, Tuple

import torch
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmaction.registry import MODELS

_DIRECTIONS = ('paired_forward', 'bidirectional')
_IMPLS = ('auto', 'fused', 'native')


def _step_time(step: int, num_frames: int, reverse: bool) -> int:
    """Frame read at recurrence step ``step`` by a (possibly reversed)
    cell."""
    return num_frames - 1 - step if reverse else step


# Whether oneDNN's linear kernel may be used; cleared after a failure so a
# build without it falls back once, silently, to the ATen (MKL) path.
_ONEDNN_OK = [True]


class _PairLinear:
    """y_c = x_c @ W_c^T (+ b_c) for the two cells, W fixed over a whole
    recurrence.

    The per-step products have M = N rows only (64 at the published batch),
    where a GEMM that repacks W on every call loses a large share of its
    time to the packing. On CPU the weights are therefore reordered once
    into oneDNN's blocked layout and reused at every step (about 1.25-1.5x
    faster than ``addmm`` at M = 64, K = 1024, 3072 outputs on an AVX2
    machine). Elsewhere, or without oneDNN, one batched GEMM is used.

    Args:
        weights (Sequence[Tensor]): Two (O, I) weights.
        biases (Sequence[Tensor], optional): Two (O,) biases.
        rows (int): M of the products, a hint for the reorder.
    """

    def __init__(self, weights: Sequence[Tensor],
                 biases: Optional[Sequence[Tensor]], rows: int) -> None:
        self.weights = weights
        self.biases = biases
        self.packed = None
        self.weight_t = None
        if (_ONEDNN_OK[0] and weights[0].device.type == 'cpu'
                and weights[0].dtype == torch.float32
                and torch.backends.mkldnn.is_available()
                and torch.backends.mkldnn.enabled):
            try:
                self.packed = [
                    torch.ops.mkldnn._reorder_linear_weight(
                        w.contiguous(), rows) for w in weights
                ]
            except (RuntimeError, AttributeError):
                _ONEDNN_OK[0] = False

    def __call__(self, x: Tensor, out: Tensor) -> None:
        """Write the products of x (2, M, I) into out (2, M, O)."""
        if self.packed is not None:
            try:
                ys = [
                    torch.ops.mkldnn._linear_pointwise(
                        x[c], self.packed[c],
                        None if self.biases is None else self.biases[c],
                        'none', [], '') for c in range(2)
                ]
                torch.stack(ys, out=out)
                return
            except RuntimeError:
                _ONEDNN_OK[0] = False
                self.packed = None
        if self.weight_t is None:
            # (2, I, O) contiguous: x @ W^T reads W^T with unit stride.
            self.weight_t = torch.stack([w.t() for w in self.weights])
        if self.biases is None:
            torch.bmm(x, self.weight_t, out=out)
        else:
            torch.baddbmm(
                torch.stack(self.biases).unsqueeze(1), x, self.weight_t,
                out=out)


class _PairedGRUFunction(torch.autograd.Function):
    """Two GRUs over one (T, N, I) input; outputs concatenated per frame.

    Gate order and equations are PyTorch's (r, z, n)::

        r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
        z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
        n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
        h' = (1 - z) * n + z * h

    Buffers are laid out cell-major in *step* order, (2, T, N, .), so one
    step of both cells is a (2, N, .) slice and the second cell may run
    backwards in time (``reverse_second``) without any other change. The
    per-cell parameters are taken as they are (no stacking copies).
    """

    @staticmethod
    def forward(ctx, x: Tensor, reverse_second: bool,
                save_for_backward: bool, *params: Tensor) -> Tensor:
        """Run both cells.

        Args:
            x (Tensor): (T, N, I) layer input, contiguous.
            reverse_second (bool): Cell 1 reads the sequence backwards.
            save_for_backward (bool): Keep the gate activations; False
                when no gradient is needed (EMA key encoders), which
                skips writing them.
            *params (Tensor): Cell 0's then cell 1's (w_ih (3H, I),
                w_hh (3H, H), b_ih (3H,), b_hh (3H,)).

        Returns:
            Tensor: (T, N, 2H); [..., :H] is cell 0, [..., H:] cell 1.
        """
        w_ih, w_hh, b_ih, b_hh = params[0::4], params[1::4], params[2::4], \
            params[3::4]
        num_frames, batch, in_features = x.shape
        hidden = w_hh[0].shape[1]
        h3 = 3 * hidden
        x_2d = x.reshape(-1, in_features)
        # Input projections of all T*N rows at once (M = T*N, where a GEMM
        # runs at its best rate), written straight into each cell's half
        # of gi: as fast as one GEMM on concatenated weights, without
        # copying 2 x 3H x I weights into a concatenation every call.
        gi = x.new_empty(num_frames * batch, 2 * h3)
        for c in range(2):
            torch.addmm(b_ih[c], x_2d, w_ih[c].t(),
                        out=gi[:, c * h3:(c + 1) * h3])
        gi = gi.view(num_frames, batch, 2, h3)
        hidden_mm = _PairLinear(w_hh, b_hh, batch)

        # hs[:, s] is the state *before* step s; hs[:, 0] = 0.
        hs = x.new_zeros(2, num_frames + 1, batch, hidden)
        if save_for_backward:
            # gates[:, s] = [r, z, W_hn h + b_hn]; cand[:, s] = n.
            gates = x.new_empty(2, num_frames, batch, h3)
            cand = x.new_empty(2, num_frames, batch, hidden)
        else:
            gate_buf = x.new_empty(2, batch, h3)
            cand_buf = x.new_empty(2, batch, hidden)
        for s in range(num_frames):
            t1 = _step_time(s, num_frames, reverse_second)
            if t1 == s:
                gi_s = gi[s].transpose(0, 1)
            else:
                gi_s = torch.stack((gi[s, :, 0], gi[t1, :, 1]))
            g = gates[:, s] if save_for_backward else gate_buf
            n = cand[:, s] if save_for_backward else cand_buf
            hidden_mm(hs[:, s], out=g)
            rz = g[..., :2 * hidden]
            rz.add_(gi_s[..., :2 * hidden]).sigmoid_()
            torch.addcmul(
                gi_s[..., 2 * hidden:], g[..., :hidden], g[..., 2 * hidden:],
                out=n)
            n.tanh_()
            # h' = n + z * (h - n), one pass.
            torch.lerp(n, hs[:, s], g[..., hidden:2 * hidden],
                       out=hs[:, s + 1])

        out = x.new_empty(num_frames, batch, 2, hidden)
        out[:, :, 0] = hs[0, 1:]
        out[:, :, 1] = hs[1, 1:].flip(0) if reverse_second else hs[1, 1:]
        if save_for_backward:
            ctx.save_for_backward(x, hs, gates, cand, *w_ih, *w_hh)
        ctx.reverse_second = reverse_second
        return out.view(num_frames, batch, 2 * hidden)

    @staticmethod
    def backward(ctx, grad_out: Tensor):
        """Backpropagate through time, then form all weight gradients with
        GEMMs over every step at once."""
        x, hs, gates, cand, w_ih0, w_ih1, w_hh0, w_hh1 = ctx.saved_tensors
        w_ih, w_hh = (w_ih0, w_ih1), (w_hh0, w_hh1)
        reverse_second = ctx.reverse_second
        num_frames, batch, in_features = x.shape
        hidden = w_hh0.shape[1]
        h3 = 3 * hidden

        grad_out = grad_out.view(num_frames, batch, 2, hidden)
        # Step-ordered copy of the incoming gradient, like hs.
        dhs = grad_out.new_empty(2, num_frames, batch, hidden)
        dhs[0] = grad_out[:, :, 0]
        dhs[1] = (grad_out[:, :, 1].flip(0) if reverse_second
                  else grad_out[:, :, 1])

        # d(pre-activation) wrt the hidden products, step order; the n
        # block already carries the r factor of W_hn h.
        dgh = grad_out.new_empty(2, num_frames, batch, h3)
        # d(pre-activation) wrt the input projections, frame order, laid
        # out like the forward's gi so one GEMM gives dW_ih and dx.
        dgi = grad_out.new_empty(num_frames, batch, 2, h3)
        # d @ W_hh is a linear layer with weight W_hh^T.
        hidden_mm_t = _PairLinear([w.t() for w in w_hh], None, batch)
        dh = grad_out.new_zeros(2, batch, hidden)
        dh_rec = grad_out.new_empty(2, batch, hidden)
        sig_grad = grad_out.new_empty(2, batch, 2 * hidden)
        for s in range(num_frames - 1, -1, -1):
            dh.add_(dhs[:, s])
            g = gates[:, s]
            rz = g[..., :2 * hidden]
            r = g[..., :hidden]
            z = g[..., hidden:2 * hidden]
            ghn = g[..., 2 * hidden:]
            n = cand[:, s]
            d = dgh[:, s]
            d_r = d[..., :hidden]
            d_z = d[..., hidden:2 * hidden]
            d_n = d[..., 2 * hidden:]
            # dn_pre = dh * (1 - z) * (1 - n^2)
            torch.addcmul(dh, dh, z, value=-1, out=d_n)
            torch.addcmul(d_n, d_n, n.square(), value=-1, out=d_n)
            # r and z share the sigmoid derivative, one pass over both:
            # [dr_pre, dz_pre] = [dn_pre * ghn, dh * (h_prev - n)]
            #                    * rz * (1 - rz)
            torch.mul(d_n, ghn, out=d_r)
            torch.sub(hs[:, s], n, out=d_z)
            d_z.mul_(dh)
            torch.addcmul(rz, rz, rz, value=-1, out=sig_grad)
            d[..., :2 * hidden].mul_(sig_grad)
            # The input side sees dn_pre itself ...
            t1 = _step_time(s, num_frames, reverse_second)
            if t1 == s:
                dgi[s].transpose(0, 1).copy_(d)
            else:
                dgi[s, :, 0] = d[0]
                dgi[t1, :, 1] = d[1]
            # ... the hidden side dn_pre * r.
            d_n.mul_(r)
            # dh_prev = dh * z + d @ W_hh
            hidden_mm_t(d, out=dh_rec)
            torch.addcmul(dh_rec, dh, z, out=dh)

        # Weight gradients: rank-(T*N) products instead of T rank-N updates.
        dgi_2d = dgi.view(num_frames * batch, 2 * h3)
        x_2d = x.reshape(num_frames * batch, in_features)
        halves = [dgi_2d[:, c * h3:(c + 1) * h3] for c in range(2)]
        needs = ctx.needs_input_grad
        grad_x = None
        if needs[0]:
            grad_x = torch.mm(halves[0], w_ih[0])
            grad_x.addmm_(halves[1], w_ih[1])
            grad_x = grad_x.view_as(x)
        grads = []
        for c in range(2):
            grad_w_ih = grad_w_hh = None
            if needs[3 + 4 * c]:
                grad_w_ih = torch.mm(halves[c].t(), x_2d)
            if needs[4 + 4 * c]:
                # Step 0 starts from h = 0 and adds nothing to dW_hh.
                grad_w_hh = torch.mm(
                    dgh[c, 1:].reshape(-1, h3).t(),
                    hs[c, 1:num_frames].reshape(-1, hidden))
            grads += [grad_w_ih, grad_w_hh, halves[c].sum(0),
                      dgh[c].sum((0, 1))]
        return (grad_x, None, None, *grads)


class PairedGRULayer(nn.Module):
    """Two independent single-layer GRUs reading the same input.

    Args:
        input_size (int): Features per frame I.
        hidden_size (int): Hidden size H of each cell.
        reverse_second (bool): The second cell runs backwards in time (a
            true bidirectional layer). False: both run forwards (CMD).
    """

    def __init__(self, input_size: int, hidden_size: int,
                 reverse_second: bool = False) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.reverse_second = reverse_second
        # nn.GRU modules keep the parameters in cuDNN's layout, so the
        # native path runs cuDNN's kernels without re-packing weights.
        self.cells = nn.ModuleList(
            [nn.GRU(input_size, hidden_size) for _ in range(2)])

    def cell_params(self, cell: int) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
        """(weight_ih, weight_hh, bias_ih, bias_hh) of one cell, the
        ``nn.GRUCell`` argument order."""
        gru = self.cells[cell]
        return (gru.weight_ih_l0, gru.weight_hh_l0, gru.bias_ih_l0,
                gru.bias_hh_l0)

    def forward(self, x: Tensor, impl: str) -> Tensor:
        """Run both cells over the sequence.

        Args:
            x (Tensor): (T, N, I).
            impl (str): 'fused' or 'native'.

        Returns:
            Tensor: (T, N, 2H), cell 0's output first.
        """
        if impl == 'native':
            out0, _ = self.cells[0](x)
            if self.reverse_second:
                out1, _ = self.cells[1](x.flip(0))
                out1 = out1.flip(0)
            else:
                out1, _ = self.cells[1](x)
            return torch.cat((out0, out1), dim=2)
        params = self.cell_params(0) + self.cell_params(1)
        need_grad = torch.is_grad_enabled() and (
            x.requires_grad or any(p.requires_grad for p in params))
        x = x.to(params[0].dtype).contiguous()
        return _PairedGRUFunction.apply(x, self.reverse_second, need_grad,
                                        *params)


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

    def flatten_frames(self, x: Tensor) -> Tensor:
        """(N, M, T, V, C) -> time-major per-frame features (T, N, V*C*M),
        person index fastest.

        Args:
            x (Tensor): Skeletons in MMAction2's layout.

        Returns:
            Tensor: (T, N, F), contiguous; feature ``(v*C + c)*M + m``.
        """
        if x.dim() != 5:
            raise ValueError('GRUEncoder expects (N, M, T, V, C) inputs, got '
                             f'shape {tuple(x.shape)}')
        n, m, t, v, c = x.shape
        if (m, v, c) != (self.num_person, self.num_joints, self.in_channels):
            raise ValueError(
                f'GRUEncoder is built for M={self.num_person}, '
                f'V={self.num_joints}, C={self.in_channels}; got input of '
                f'shape (N, M, T, V, C) = {tuple(x.shape)}')
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
