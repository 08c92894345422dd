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

import numpy as np

from nngui.core.activations import ACTIVATIONS, get_activation

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


class Network:
    """A fully connected network: ``n_inputs`` then ``layers``; parameters in ``params``.

    params : list of ndarray, one per layer, of shape (fan_in + 1, fan_out): weights on top,
    biases in the last row. The arrays are updated in place by the optimisers.
    """

    def __init__(
        self,
        n_inputs: int,
        layers: Sequence[LayerSpec],
        params: Sequence[np.ndarray] | None = None,
        dtype: type = np.float64,
    ) -> None:
        if not 1 <= n_inputs <= MAX_UNITS:
            raise ValueError(f"a network needs 1 to {MAX_UNITS} inputs")
        if not 1 <= len(layers) <= MAX_LAYERS:
            raise ValueError(f"a network needs 1 to {MAX_LAYERS} layers after the input")
        self.n_inputs = int(n_inputs)
        self.layers = list(layers)
        self.dtype = np.dtype(dtype)
        if params is None:
            params = [np.zeros((i + 1, o)) for i, o in self.shapes()]
        self.params = [np.ascontiguousarray(p, dtype=self.dtype) for p in params]
        for p, (fan_in, fan_out) in zip(self.params, self.shapes(), strict=True):
            if p.shape != (fan_in + 1, fan_out):
                raise ValueError(f"parameter shape {p.shape} != {(fan_in + 1, fan_out)}")

    # ----- construction -------------------------------------------------------------------
    @classmethod
    def initialise(
        cls,
        n_inputs: int,
        layers: Sequence[LayerSpec],
        rng: np.random.RandomState,
        scheme: str = "he",
        dtype: type = np.float64,
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

    def astype(self, dtype: type) -> Network:
        """A copy with parameters of another float dtype."""
        return Network(self.n_inputs, self.layers, self.params, dtype)

    # ----- inference ----------------------------------------------------------------------
    def forward(self, x: np.ndarray, keep: bool = False) -> np.ndarray | list[tuple]:
        """Forward standardised inputs x (n, n_inputs) and return the outputs (n, n_outputs).

        With ``keep=True`` return instead one (Z, A) pair per layer, for views that show the
        inside of the network.
        """
        a = np.asarray(x, dtype=self.dtype)
        cache = []
        for p, layer in zip(self.params, self.layers, strict=True):
            z = a @ p[:-1] + p[-1]
            a = np.empty_like(z)
            get_activation(layer.activation).forward(z, a)
            cache.append((z, a))
        return cache if keep else a


class Backprop:
    """Preallocated buffers and the forward + backward pass for training.

    One instance serves batches of up to ``capacity`` rows; ``loss_and_gradients`` fills
    ``grads`` (same shapes as ``network.params``) and returns the batch's training objective,
    computed on the parameters before any update. Nothing is allocated per call beyond small
    temporaries NumPy makes for tiny layers.
    """

    def __init__(self, network: Network, capacity: int) -> None:
        self.net = network
        self.capacity = int(capacity)
        dt = network.dtype
        n = self.capacity
        # Layer inputs with a trailing ones column: acts[0] is the batch input, acts[l] the
        # output of layer l-1. The output layer's activation has no ones column.
        self.acts = [np.ones((n, fan_in + 1), dtype=dt) for fan_in, _ in network.shapes()]
        self.out = np.empty((n, network.n_outputs), dtype=dt)
        self.zs = [np.empty((n, fan_out), dtype=dt) for _, fan_out in network.shapes()]
        self.deltas = [np.empty((n, fan_out), dtype=dt) for _, fan_out in network.shapes()]
        self.grads = [np.zeros_like(p) for p in network.params]
        self.funcs = [get_activation(layer.activation) for layer in network.layers]

    def load_inputs(self, xs_aug: np.ndarray) -> None:
        """Copy a batch of augmented inputs (m, n_inputs + 1) into the input buffer."""
        self.acts[0][: len(xs_aug)] = xs_aug

    def loss_and_gradients(self, m: int, y: np.ndarray, inputs: np.ndarray | None = None) -> float:
        """Forward and backward over the first ``m`` rows; returns 0.5·mean_rows Σ_cols (Ŷ−Y)².

        ``inputs`` (m, n_inputs + 1) may be given to use an augmented input array in place of
        the input buffer (full-batch training reuses the data itself, no copy).
        """
        params, funcs, L = self.net.params, self.funcs, len(self.net.params)
        a_in = inputs if inputs is not None else self.acts[0][:m]
        ins = [a_in] + [a[:m] for a in self.acts[1:]]
        for l in range(L):
            z = self.zs[l][:m]
            np.matmul(ins[l], params[l], out=z)
            target = self.out[:m] if l == L - 1 else ins[l + 1][:, :-1]
            funcs[l].forward(z, target)
        yhat = self.out[:m]
        d = self.deltas[L - 1][:m]
        np.subtract(yhat, y, out=d)
        flat = d.reshape(-1)
        loss = 0.5 * float(flat @ flat) / m
        funcs[L - 1].backward(d, self.zs[L - 1][:m], yhat)
        d *= 1.0 / m
        for l in range(L - 1, -1, -1):
            np.matmul(ins[l].T, d, out=self.grads[l])
            if l == 0:
                break
            d_prev = self.deltas[l - 1][:m]
            w_t = params[l][:-1].T
            if w_t.shape[0] <= 64:
                w_t = np.ascontiguousarray(w_t)  # BLAS is much slower on tiny transposed views
            np.matmul(d, w_t, out=d_prev)
            funcs[l - 1].backward(d_prev, self.zs[l - 1][:m], ins[l][:, :-1])
            d = d_prev
        return loss


def augment(x: np.ndarray, dtype: type | None = None) -> np.ndarray:
    """Return [x, 1]: x (n, k) with a trailing ones column, as a new C-contiguous array."""
    dtype = dtype or x.dtype
    out = np.ones((x.shape[0], x.shape[1] + 1), dtype=dtype)
    out[:, :-1] = x
    return out
