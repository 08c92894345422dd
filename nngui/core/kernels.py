"""The trainer's fast kernels: the forward and backward pass with preallocated, padded buffers.

The same maths as ``Network.forward`` and ``Network.backward`` (tests check they give the same
loss and gradients), arranged for speed: every layer input carries a trailing column of ones
so that Z = [A_prev, 1] @ [W; b] is one matrix product and [dW; db] another, buffers are made
once per batch size, and the activations run over whole contiguous rows (see ``Backprop``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import DTypeLike

from nngui.core.activations import Activation, get_activation
from nngui.core.classification import LOSSES, cross_entropy, row_cross_entropy, row_weights
from nngui.core.network import Network, check_cross_entropy_output, flat_views


@dataclass
class _Views:
    """Slices of Backprop's buffers for one batch size m (made once, reused every step)."""

    ins: list[np.ndarray]  # layer inputs [A_prev, 1], (m, fan_in + 1) each
    zs: list[np.ndarray]  # pre-activations; hidden layers padded: (m, fan_out + 1)
    z_cores: list[np.ndarray]  # the same without the pad column, (m, fan_out)
    deltas: list[np.ndarray]  # dL/dZ; hidden layers padded like zs
    d_cores: list[np.ndarray]  # the same without the pad column, (m, fan_out)
    out: np.ndarray  # Ŷ (m, n_outputs)
    flat_delta: np.ndarray  # the output layer's dL/dZ as one vector, for the loss


def _pad_value(func: Activation, dtype: np.dtype) -> float | None:
    """A pre-activation p with act(p) == 1 exactly (1 for relu, ∞ for tanh), or None."""
    with np.errstate(all="ignore"):
        for p in (1.0, np.inf):
            z, a = np.array([p], dtype=dtype), np.empty(1, dtype=dtype)
            func.forward(z, a)
            if a[0] == 1.0:
                return p
    return None


class Backprop:
    """Preallocated buffers and the forward + backward pass for training.

    One instance serves batches of up to ``capacity`` rows; ``loss_and_gradients`` fills
    ``grads`` (same shapes as ``network.params``, views into the one vector ``grad_vector``)
    and returns the batch's training objective, computed on the parameters before any update.
    Nothing is allocated per call beyond small temporaries of some activation derivatives.

    Layout trick: a hidden layer's Z buffer has one extra column holding a constant p with
    act(p) = 1 (p = 1 for relu, ∞ for tanh). The activation then runs over whole contiguous
    rows, [Z, p] → [A, 1], and writes the next layer's ones column too, instead of running row
    by row over the strided view A = [A, 1][:, :-1], which for narrow layers costs more than
    the arithmetic. Likewise dA_prev is computed as dZ @ [W; b]ᵀ, whose extra last column is
    never read, so that act' also runs over whole rows.
    """

    def __init__(
        self, network: Network, capacity: int, loss: str = "mse",
        class_weights: np.ndarray | None = None,
    ) -> None:  # fmt: skip
        """Buffers for ``network`` and batches of up to ``capacity`` rows; ``loss`` "mse" or
        "cross_entropy" (fused with the output layer's sigmoid or softmax: dZ = (Ŷ − Y) / m),
        each row's term weighed by ``class_weights[its class]`` when given."""
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {', '.join(LOSSES)}, not {loss!r}")
        if loss == "cross_entropy":
            check_cross_entropy_output(network.layers[-1])
        self.loss = loss
        self.class_weights = None if class_weights is None else np.asarray(class_weights)
        self.net = network
        self.capacity = int(capacity)
        dt = network.dtype
        n = self.capacity
        shapes = network.shapes()
        L = len(shapes)
        self.funcs = [get_activation(layer.activation) for layer in network.layers]
        # Layer inputs with a trailing ones column: acts[0] is the batch input, acts[l] the
        # output of layer l-1. The output layer's activation has no ones column.
        self.acts = [np.ones((n, fan_in + 1), dtype=dt) for fan_in, _ in shapes]
        self.out = np.empty((n, network.n_outputs), dtype=dt)
        pads = [_pad_value(f, dt) for f in self.funcs[:-1]]
        #: Hidden layers whose activation has no p with act(p) = 1 rewrite their ones column.
        self.rewrite_ones = [p is None for p in pads]
        self.zs = [np.empty((n, fan_out + 1), dtype=dt) for _, fan_out in shapes[:-1]]
        for z, p in zip(self.zs, pads, strict=True):
            z[:, -1] = 0.0 if p is None else p
        self.deltas = [np.zeros((n, fan_out + 1), dtype=dt) for _, fan_out in shapes[:-1]]
        # A linear output layer needs no activation pass: its product is written to Ŷ.
        self.linear_output = self.funcs[-1].name == "linear"
        self.zs.append(self.out if self.linear_output else np.empty_like(self.out))
        self.deltas.append(np.empty_like(self.out))
        self.grad_vector, self.grads = flat_views(shapes, dt)
        self.n_layers = L
        self._views: dict[int, _Views] = {}

    def _views_for(self, m: int) -> _Views:
        views = self._views.get(m)
        if views is None:
            zs = [z[:m] for z in self.zs]
            deltas = [d[:m] for d in self.deltas]
            views = _Views(
                ins=[a[:m] for a in self.acts],
                zs=zs,
                z_cores=[z[:, :-1] for z in zs[:-1]] + [zs[-1]],
                deltas=deltas,
                d_cores=[d[:, :-1] for d in deltas[:-1]] + [deltas[-1]],
                out=self.out[:m],
                flat_delta=deltas[-1].reshape(-1),
            )
            self._views[m] = views
        return views

    def load_inputs(self, xs_aug: np.ndarray) -> None:
        """Copy a batch of augmented inputs (m, n_inputs + 1) into the input buffer."""
        self.acts[0][: len(xs_aug)] = xs_aug

    def loss_and_gradients(self, m: int, y: np.ndarray, inputs: np.ndarray | None = None) -> float:
        """Forward and backward over the first ``m`` rows; returns the batch's objective,
        0.5·mean_rows Σ_cols (Ŷ−Y)² or the cross-entropy of the output logits.

        ``inputs`` (m, n_inputs + 1) may be given to use an augmented input array in place of
        the input buffer (full-batch training reuses the data itself, minibatches a shuffled
        copy of it: no copy per step).
        """
        params, funcs, grads, L = self.net.params, self.funcs, self.grads, self.n_layers
        v = self._views_for(m)
        ins, zs, deltas = v.ins, v.zs, v.deltas
        a_in = inputs if inputs is not None else ins[0]
        # forward: Z = [A_prev, 1] @ [W; b];  [A, 1] = act([Z, p])
        a = a_in
        for l in range(L - 1):
            np.matmul(a, params[l], out=v.z_cores[l])
            a = ins[l + 1]
            funcs[l].forward(zs[l], a)
            if self.rewrite_ones[l]:
                a[:, -1] = 1.0
        np.matmul(a, params[-1], out=zs[-1])
        if not self.linear_output:
            funcs[-1].forward(zs[-1], v.out)
        # output: dZ = (Ŷ − Y)·act'(Z) / m; fused with cross-entropy dZ = (Ŷ − Y) / m
        d = deltas[-1]
        np.subtract(v.out, y, out=d)
        if self.loss == "cross_entropy" and self.class_weights is not None:
            w = row_weights(y, self.class_weights)
            with np.errstate(over="ignore"):
                loss = float(w @ row_cross_entropy(zs[-1], y)) / m
            d *= w[:, None].astype(d.dtype, copy=False)
        elif self.loss == "cross_entropy":
            with np.errstate(over="ignore"):
                loss = cross_entropy(zs[-1], y)
        else:
            loss = 0.5 * float(v.flat_delta @ v.flat_delta) / m
            if not self.linear_output:
                funcs[-1].backward(d, zs[-1], v.out)
        d *= 1.0 / m
        # backward: [dW; db] = [A_prev, 1]ᵀ @ dZ;  [dA_prev, ·] = dZ @ [W; b]ᵀ;
        # dZ_prev = dA_prev·act'(Z_prev)
        for l in range(L - 1, 0, -1):
            np.matmul(ins[l].T, d, out=grads[l])
            np.matmul(d, params[l].T, out=deltas[l - 1])
            funcs[l - 1].backward(deltas[l - 1], zs[l - 1], ins[l])
            d = v.d_cores[l - 1]
        np.matmul(a_in.T, d, out=grads[0])
        return loss


def augment(x: np.ndarray, dtype: DTypeLike | None = None) -> np.ndarray:
    """Return [x, 1]: x (n, k) with a trailing ones column, as a new C-contiguous array."""
    out = np.ones((x.shape[0], x.shape[1] + 1), dtype=x.dtype if dtype is None else dtype)
    out[:, :-1] = x
    return out
