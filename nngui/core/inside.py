"""The nine steps made visible: one sample's forward and backward pass, layer by layer.

For ONE sample (a row vector: m = 1) and its training objective L = ½ Σ (ŷ − y)², this module
redoes plainly what the engine's ``Backprop`` does for a whole batch, in the article's order
(the article keeps one sample per column; here, as everywhere in nngui, one sample per row):

    forward,  l = 1 … L:   Zˡ = Aˡ⁻¹ · Wˡ + bˡ        Aˡ = act(Zˡ)          (A⁰ = x)
    loss:                  L = ½ Σ (Ŷ − Y)²           (Ŷ = Aᴸ)
    backward, l = L … 1:   dAᴸ = Ŷ − Y
                           dZˡ = dAˡ ⊙ act′(Zˡ)        (output layer, linear: dZᴸ = Ŷ − Y)
                           dWˡ = Aˡ⁻¹ᵀ · dZˡ           dbˡ = dZˡ
                           dAˡ⁻¹ = dZˡ · Wˡᵀ

The steps are the network's own readable passes (``Network.forward`` and ``Network.backward``,
which the trainer's kernels are tested equal to), kept layer by layer for the "Inside" view and
for tests that compare them with numbers worked out by hand. Training divides dW and db by the
batch size m; here m = 1. Everything is computed in float64 (a float32 network's weights are
widened exactly).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nngui.core.activations import get_activation
from nngui.core.network import Network


def derivative(name: str, z: np.ndarray) -> np.ndarray:
    """act′(z) for the activation ``name``, a new float64 array shaped like z (the registry's
    ``prime``: the same rule training's backward pass applies)."""
    return get_activation(name).prime(z)


def derivative_formula(name: str) -> str:
    """act′(z) for ``name`` as text, e.g. "1 where z > 0, else 0" for relu."""
    return get_activation(name).prime_formula


@dataclass(frozen=True)
class LayerTrace:
    """Layer l of one sample's pass. Row vectors have shape (1, units), like a batch of one.

    fan_in = units of layer l − 1 (the inputs for l = 1), fan_out = units of layer l.
    """

    number: int  # l: 1 for the first layer after the input
    activation: str  # its activation's name
    a_prev: np.ndarray  # Aˡ⁻¹ (1, fan_in): what the layer receives
    w: np.ndarray  # Wˡ (fan_in, fan_out)
    b: np.ndarray  # bˡ (fan_out,)
    z: np.ndarray  # Zˡ (1, fan_out) = Aˡ⁻¹ · Wˡ + bˡ
    a: np.ndarray  # Aˡ (1, fan_out) = act(Zˡ)
    da: np.ndarray  # dAˡ = ∂L/∂Aˡ (1, fan_out)
    d_act: np.ndarray  # act′(Zˡ) (1, fan_out)
    dz: np.ndarray  # dZˡ = dAˡ ⊙ act′(Zˡ) (1, fan_out)
    dw: np.ndarray  # dWˡ = Aˡ⁻¹ᵀ · dZˡ (fan_in, fan_out)
    db: np.ndarray  # dbˡ = dZˡ summed over the one row (fan_out,)
    da_prev: np.ndarray  # dAˡ⁻¹ = dZˡ · Wˡᵀ (1, fan_in)

    def shapes(self) -> dict[str, tuple[int, ...]]:
        """Every array's shape by field name, e.g. {"z": (1, 4), "dw": (2, 4), …}."""
        names = ("a_prev", "w", "b", "z", "a", "da", "d_act", "dz", "dw", "db", "da_prev")
        return {name: getattr(self, name).shape for name in names}


@dataclass(frozen=True)
class SampleTrace:
    """One sample's forward and backward pass through every layer.

    xs : (n_inputs,) standardised inputs; ys : (n_outputs,) standardised targets;
    yhat : (n_outputs,) the network's output Ŷ; loss : ½ Σ (ŷ − y)²; layers : one LayerTrace
    per layer after the input, first to last.
    """

    xs: np.ndarray
    ys: np.ndarray
    yhat: np.ndarray
    loss: float
    layers: tuple[LayerTrace, ...]


def trace_sample(network: Network, xs: np.ndarray, ys: np.ndarray) -> SampleTrace:
    """Forward and backward pass of one sample through ``network``, every step kept.

    xs : standardised inputs of shape (n_inputs,); ys : standardised targets (n_outputs,).
    Non-finite weights give NaN or inf values, never an error or a warning.
    """
    x = np.asarray(xs, dtype=np.float64).reshape(1, -1)
    y = np.asarray(ys, dtype=np.float64).reshape(1, -1)
    if x.shape[1] != network.n_inputs or y.shape[1] != network.n_outputs:
        raise ValueError(
            f"expected {network.n_inputs} inputs and {network.n_outputs} targets, "
            f"got {x.shape[1]} and {y.shape[1]}"
        )
    with np.errstate(all="ignore"):
        forward = _forward(network, x)
        yhat = forward[-1]["a"]
        loss = 0.5 * float(np.sum((yhat - y) ** 2))
        layers = _backward(network, forward, yhat - y)
    return SampleTrace(xs=x[0], ys=y[0], yhat=yhat[0], loss=loss, layers=layers)


def _forward(network: Network, x: np.ndarray) -> list[dict[str, np.ndarray]]:
    """Zˡ = Aˡ⁻¹ · Wˡ + bˡ and Aˡ = act(Zˡ) for l = 1 … L, with each layer's inputs: the
    network's own forward pass (``Network.forward``), in float64 whatever its precision."""
    net = network if network.dtype == np.float64 else network.astype(np.float64)
    steps, a = [], np.asarray(x, dtype=np.float64)
    for (z, out), w, b in zip(net.forward(a, keep=True), net.weights, net.biases, strict=True):
        steps.append({"a_prev": a, "w": w.copy(), "b": b.copy(), "z": z, "a": out})
        a = out
    return steps


def _backward(
    network: Network, forward: list[dict[str, np.ndarray]], error: np.ndarray
) -> tuple[LayerTrace, ...]:
    """Walk back from dAᴸ = Ŷ − Y (``error``, (1, n_outputs)) to the input: the network's own
    readable backward pass (``Network.backward``), each layer's steps kept for the view."""
    net = network if network.dtype == np.float64 else network.astype(np.float64)
    cache = [(step["z"], step["a"]) for step in forward]
    steps = net.backward(cache, forward[0]["a_prev"], error)  # ∂L/∂Ŷ for L = ½ Σ (Ŷ − Y)²
    return tuple(
        LayerTrace(number=l + 1, activation=layer.activation, **back, **forward[l])
        for l, (layer, back) in enumerate(zip(network.layers, steps, strict=True))
    )
