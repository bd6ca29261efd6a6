"""Two GRUs over one sequence as one layer, with a hand-written kernel.

``PairedGRUFunction`` is the fused CPU implementation: the input
projections of all T*N rows are computed up front (M = T*N GEMMs, written
into one buffer holding both cells); per step only the two hidden-to-hidden
products remain, run on weights packed once per call (oneDNN on CPU, see
``onednn_linear``); the backward recurrence only propagates dh, and
dW_ih, dW_hh and dx are then large GEMMs over all T*N rows (instead of
T rank-N updates); the gate arithmetic runs in place in preallocated
buffers. Backward costs 2x the forward GEMM FLOPs, as it should.
``PairedGRULayer`` holds the parameters (two ``nn.GRU`` cells) and runs
either that kernel or one ``nn.GRU`` call per cell (cuDNN on a GPU).
"""
from typing import Tuple

import torch
from torch import Tensor, nn

from .onednn_linear import PairLinear


def _step_time(step: int, num_frames: int, reverse: bool) -> int:
    """Frame read at recurrence step ``step`` by a (possibly reversed)
    cell."""
    return num_frames - 1 - step if reverse else step


class PairedGRUFunction(torch.autograd.Function):
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
        hidden_mm = PairLinear(w_hh, b_hh, batch)

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
        hidden_mm_t = PairLinear([w.t() for w in w_hh], None, batch)
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
        return PairedGRUFunction.apply(x, self.reverse_second, need_grad,
                                       *params)
