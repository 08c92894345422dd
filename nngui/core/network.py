"""The network: a list of fully connected layers, forward and backward, vectorised over samples.

Shapes follow the model file: layer l has weights W (fan_in, fan_out) and biases b (fan_out,),
and a batch of samples is a matrix with one sample per row, so that

    forward:   Z = A_prev @ W + b          A = act(Z)
    backward:  dZ = dA * act'(Z)            dW = A_prevᵀ @ dZ / n     db = Σ_rows dZ / n
               dA_prev = dZ @ Wᵀ

(the article writes the same with one sample per column: Z = W·A + b). The output layer's
dZ = Ŷ − Y is the gradient of the training objective 0.5 × mean over samples of the summed
squared error.

The parameters are stored as [W; b] (shape (fan_in + 1, fan_out)): the bias as an extra last
row, so that the trainer's kernels (``core.kernels``) compute Z = [A_prev, 1] @ [W; b] as one
matrix product; ``Network.weights`` and ``Network.biases`` are views into those arrays. The
readable passes here (``forward``, ``backward``, ``gradients``) are the reference the kernels are
tested against, and what the views and evaluation use.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, overload

import numpy as np
from numpy.typing import DTypeLike

from nngui.core.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, Activation, get_activation
from nngui.core.classification import cross_entropy, row_cross_entropy, row_weights

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
        for layer in list(layers)[:-1]:
            if layer.activation in OUTPUT_ACTIVATIONS:
                raise ValueError(f"{layer.activation} is for only an output layer")
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

    def backward(
        self, cache: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray, d_out: np.ndarray,
        fused: bool = False,
    ) -> list[dict[str, np.ndarray]]:  # fmt: skip
        """The article's backward pass, layer by layer from the output to the input.

        ``cache`` is ``forward(x, keep=True)``; ``d_out`` is dL/dŶ (n, n_outputs), or with
        ``fused`` already dL/dZ of the output layer (cross-entropy fused with its sigmoid or
        softmax: dZ = (A − Y) / n). For each layer, input side first, a dict of dA (dL/dA of the
        layer's output), act′(Z), dZ = dA · act′(Z), dW = A_prevᵀ @ dZ, db = Σ_rows dZ and
        dA_prev = dZ @ Wᵀ. Readable and allocating: the trainer's padded, preallocated pass
        (``core.kernels.Backprop``) is tested equal to it.
        """
        steps: list[dict[str, np.ndarray]] = []
        da = d_out
        last = len(self.layers) - 1
        for l in range(last, -1, -1):
            z = cache[l][0]
            a_prev = x if l == 0 else cache[l - 1][1]
            if fused and l == last:
                d_act = np.ones_like(z)
            else:
                d_act = get_activation(self.layers[l].activation).prime(z).astype(z.dtype)
            dz = da * d_act
            dw = a_prev.T @ dz
            db = dz.sum(axis=0)
            da_prev = dz @ self.weights[l].T
            steps.append(
                {"da": da, "d_act": d_act, "dz": dz, "dw": dw, "db": db, "da_prev": da_prev}
            )
            da = da_prev
        return steps[::-1]

    def gradients(
        self, xs: np.ndarray, ys: np.ndarray, loss: str = "mse",
        class_weights: np.ndarray | None = None,
    ) -> tuple[float, list[np.ndarray]]:  # fmt: skip
        """The training objective on standardised ``xs``, ``ys`` and its gradient, one [dW; db]
        array per layer (shaped like ``params``). ``loss`` "mse": 0.5·mean_rows Σ_cols (Ŷ − Y)²;
        "cross_entropy": binary or categorical cross-entropy of the output layer's logits (its
        activation sigmoid or softmax), whose dZ is (A − Y) / n."""
        x = np.asarray(xs, dtype=self.dtype)
        cache = self.forward(x, keep=True)
        error = cache[-1][1] - np.asarray(ys, dtype=self.dtype)
        m = len(x)
        if loss == "cross_entropy":
            check_cross_entropy_output(self.layers[-1])
            y64 = np.asarray(ys, dtype=np.float64)
            if class_weights is None:
                value = cross_entropy(cache[-1][0], y64)
                steps = self.backward(cache, x, error / m, fused=True)
            else:  # each row's term weighed by its class's weight
                w = row_weights(y64, np.asarray(class_weights))
                value = float(w @ row_cross_entropy(cache[-1][0], y64)) / m
                steps = self.backward(cache, x, error * w[:, None] / m, fused=True)
        else:
            value = 0.5 * float(np.sum(error.astype(np.float64) ** 2)) / m
            steps = self.backward(cache, x, error / m)
        return value, [np.vstack([step["dw"], step["db"][None, :]]) for step in steps]


def check_cross_entropy_output(output: LayerSpec) -> None:
    """Refuse an output layer that cross-entropy cannot be fused with: one sigmoid unit (two
    classes) or softmax over K > 2 units."""
    fits = (output.activation == "sigmoid" and output.units == 1) or (
        output.activation == "softmax" and output.units > 2
    )
    if not fits:
        raise ValueError(
            "cross-entropy needs one sigmoid output (two classes) or a softmax output of a unit "
            f"per class (more), not {output.units} {output.activation}"
        )


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
