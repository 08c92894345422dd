"""The network: a list of fully connected layers, forward and backward, vectorised over samples.

Shapes follow the model file: layer l has weights W (fan_in, fan_out) and biases b (fan_out,),
and a batch of samples is a matrix with one sample per row, so that

    forward:   Z = A_prev @ W + b          A = act(Z)
    backward:  dZ = dA * act'(Z)            dW = A_prevᵀ @ dZ / n     db = Σ_rows dZ / n
               dA_prev = dZ @ Wᵀ

(the article writes the same with one sample per column: Z = W·A + b). The output layer's
dZ = Ŷ − Y is the gradient of the training objective 0.5 × mean over samples of the summed
squared error.

For speed the bias is stored as an extra last row of W ("augmented" weights, shape
(fan_in + 1, fan_out)) and every layer input carries a trailing column of ones: then
Z = [A_prev, 1] @ [W; b] is one matrix product, and dW and db come out of one product too.
``Network.weights`` and ``Network.biases`` are views into those arrays.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, overload

import numpy as np
from numpy.typing import DTypeLike

from nngui.core.activations import ACTIVATIONS, Activation, get_activation

INIT_SCHEMES = ("he", "xavier")
MAX_UNITS = 4096
MAX_LAYERS = 64


@dataclass(frozen=True)
class LayerSpec:
    """One layer after the input: its number of units and its activation's name."""

    units: int
    activation: str = "relu"

    def __post_init__(self) -> None:
        if not isinstance(self.units, int | np.integer) or not 1 <= self.units <= MAX_UNITS:
            raise ValueError(f"a layer needs 1 to {MAX_UNITS} units, got {self.units!r}")
        if self.activation not in ACTIVATIONS:
            get_activation(self.activation)  # raises with the list of known names

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form: {"units": …, "activation": …}."""
        return {"units": int(self.units), "activation": self.activation}


def seed_layers(n_outputs: int = 3) -> list[LayerSpec]:
    """The article's layers after the input: 4 relu, 4 relu, n_outputs linear."""
    return [LayerSpec(4, "relu"), LayerSpec(4, "relu"), LayerSpec(n_outputs, "linear")]


def count_parameters(n_inputs: int, layers: Sequence[LayerSpec]) -> int:
    """Number of weights and biases: Σ (fan_in + 1) × fan_out over the layers."""
    total, fan_in = 0, n_inputs
    for layer in layers:
        total += (fan_in + 1) * layer.units
        fan_in = layer.units
    return total


def flat_views(
    shapes: Sequence[tuple[int, int]], dtype: DTypeLike = np.float64
) -> tuple[np.ndarray, list[np.ndarray]]:
    """One zeroed 1-D vector and its consecutive views of shape (fan_in + 1, fan_out) per layer.

    Parameters, gradients and optimiser state are kept this way: per-layer arrays for the
    mathematics, one contiguous vector for updates that treat every number alike.
    """
    sizes = [(fan_in + 1) * fan_out for fan_in, fan_out in shapes]
    vector = np.zeros(sum(sizes), dtype=dtype)
    views, start = [], 0
    for (fan_in, fan_out), size in zip(shapes, sizes, strict=True):
        views.append(vector[start : start + size].reshape(fan_in + 1, fan_out))
        start += size
    return vector, views


class Network:
    """A fully connected network: ``n_inputs`` then ``layers``; parameters in ``params``.

    params : list of ndarray, one per layer, of shape (fan_in + 1, fan_out): weights on top,
    biases in the last row. The arrays are updated in place by the optimisers; they are views
    laid end to end in ``param_vector`` (one 1-D array), and given ``params`` are copied in.
    """

    def __init__(
        self,
        n_inputs: int,
        layers: Sequence[LayerSpec],
        params: Sequence[np.ndarray] | None = None,
        dtype: DTypeLike = np.float64,
    ) -> None:
        if not 1 <= n_inputs <= MAX_UNITS:
            raise ValueError(f"a network needs 1 to {MAX_UNITS} inputs")
        if not 1 <= len(layers) <= MAX_LAYERS:
            raise ValueError(f"a network needs 1 to {MAX_LAYERS} layers after the input")
        self.n_inputs = int(n_inputs)
        self.layers = list(layers)
        self.dtype = np.dtype(dtype)
        # All parameters live in one vector; params holds per-layer views of it, so that an
        # optimiser can update everything with one vectorised operation per step.
        self.param_vector, self.params = flat_views(self.shapes(), self.dtype)
        if params is not None:
            for p, q in zip(self.params, params, strict=True):
                q = np.asarray(q)
                if q.shape != p.shape:
                    raise ValueError(f"parameter shape {q.shape} != {p.shape}")
                p[...] = q

    # ----- construction -------------------------------------------------------------------
    @classmethod
    def initialise(
        cls,
        n_inputs: int,
        layers: Sequence[LayerSpec],
        rng: np.random.RandomState,
        scheme: str = "he",
        dtype: DTypeLike = np.float64,
    ) -> Network:
        """Draw initial parameters layer by layer from ``rng``.

        "he" is the article's: W = randn(fan_out, fan_in)·√(2/fan_in), then
        b = randn(fan_out, 1)·√(2/fan_in) (drawn in the article's (out, in) layout, then
        transposed). "xavier" is Glorot normal, W ~ N(0, 2/(fan_in + fan_out)), b = 0.
        """
        if scheme not in INIT_SCHEMES:
            raise ValueError(f"unknown initialisation {scheme!r}; choose from he, xavier")
        net = cls(n_inputs, layers, dtype=dtype)
        for p, (fan_in, fan_out) in zip(net.params, net.shapes(), strict=True):
            if scheme == "he":
                scale = np.sqrt(2.0 / fan_in)
                w = rng.randn(fan_out, fan_in) * scale
                b = rng.randn(fan_out, 1) * scale
                p[:-1] = w.T
                p[-1] = b[:, 0]
            else:
                p[:-1] = rng.randn(fan_in, fan_out) * np.sqrt(2.0 / (fan_in + fan_out))
                p[-1] = 0.0
        return net

    def shapes(self) -> list[tuple[int, int]]:
        """(fan_in, fan_out) of every layer."""
        sizes = [self.n_inputs] + [layer.units for layer in self.layers]
        return list(itertools.pairwise(sizes))

    @property
    def sizes(self) -> list[int]:
        """Units per layer including the input, e.g. [2, 4, 4, 3]."""
        return [self.n_inputs] + [layer.units for layer in self.layers]

    @property
    def n_outputs(self) -> int:
        """Units of the output layer."""
        return self.layers[-1].units

    @property
    def weights(self) -> list[np.ndarray]:
        """Views of the weight matrices, shape (fan_in, fan_out) each."""
        return [p[:-1] for p in self.params]

    @property
    def biases(self) -> list[np.ndarray]:
        """Views of the bias vectors, shape (fan_out,) each."""
        return [p[-1] for p in self.params]

    def parameter_count(self) -> int:
        """Number of weights and biases."""
        return count_parameters(self.n_inputs, self.layers)

    def copy(self) -> Network:
        """A deep copy (for snapshots sent to other threads)."""
        return Network(self.n_inputs, self.layers, [p.copy() for p in self.params], self.dtype)

    def get_params(self) -> list[np.ndarray]:
        """Copies of the parameter arrays."""
        return [p.copy() for p in self.params]

    def set_params(self, params: Sequence[np.ndarray]) -> None:
        """Copy ``params`` into the network's arrays (shapes must match)."""
        for p, q in zip(self.params, params, strict=True):
            p[...] = q

    def is_finite(self) -> bool:
        """True when no parameter is NaN or infinite."""
        return all(np.isfinite(p).all() for p in self.params)

    def astype(self, dtype: DTypeLike) -> Network:
        """A copy with parameters of another float dtype."""
        return Network(self.n_inputs, self.layers, self.params, dtype)

    # ----- inference ----------------------------------------------------------------------
    @overload
    def forward(self, x: np.ndarray, keep: Literal[False] = False) -> np.ndarray: ...

    @overload
    def forward(
        self, x: np.ndarray, keep: Literal[True]
    ) -> list[tuple[np.ndarray, np.ndarray]]: ...

    def forward(
        self, x: np.ndarray, keep: bool = False
    ) -> np.ndarray | list[tuple[np.ndarray, np.ndarray]]:
        """Forward standardised inputs x (n, n_inputs) and return the outputs (n, n_outputs).

        With ``keep=True`` return instead one (Z, A) pair per layer, for views that show the
        inside of the network.
        """
        a = np.asarray(x, dtype=self.dtype)
        cache: list[tuple[np.ndarray, np.ndarray]] = []
        for p, layer in zip(self.params, self.layers, strict=True):
            z, a = layer_pass(a, p, get_activation(layer.activation))
            cache.append((z, a))
        return cache if keep else a


def layer_pass(
    a: np.ndarray,
    p: np.ndarray,
    act: Activation,
    z: np.ndarray | None = None,
    out: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """One layer of the forward pass, the article's step: Z = A · W + b, then A' = act(Z).

    ``p`` is the layer's [W; b] (fan_in + 1, fan_out). Into ``z`` and ``out`` when given
    (preallocated buffers of shape (len(a), fan_out)), else into new arrays. Returns (Z, A').
    """
    if z is None:
        z = a @ p[:-1]
    else:
        np.matmul(a, p[:-1], out=z)
    z += p[-1]
    if out is None:
        out = np.empty_like(z)
    act.forward(z, out)
    return z, out


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

    def __init__(self, network: Network, capacity: int) -> None:
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
        """Forward and backward over the first ``m`` rows; returns 0.5·mean_rows Σ_cols (Ŷ−Y)².

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
        # output: dZ = (Ŷ − Y)·act'(Z) / m
        d = deltas[-1]
        np.subtract(v.out, y, out=d)
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
