"""Activation functions by name: each forward rule beside its derivative.

One registry serves the network, the GUI's combo boxes and the model file. Both rules work in
place on preallocated arrays so that training allocates nothing per step:
``forward(z, out)`` writes act(z) into ``out``; ``backward(d, z, a)`` multiplies the upstream
gradient ``d`` (dL/dA) by act'(z) in place, turning it into dL/dZ (``a`` = act(z) is given for
rules that are cheaper in terms of the output).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    """A named activation: forward(z, out) and backward(d, z, a), both in place."""

    name: str
    forward: Callable[[np.ndarray, np.ndarray], None]
    backward: Callable[[np.ndarray, np.ndarray, np.ndarray], None]
    formula: str


def _relu(z: np.ndarray, out: np.ndarray) -> None:
    np.maximum(z, 0, out=out)


def _relu_back(d: np.ndarray, z: np.ndarray, a: np.ndarray) -> None:
    # The article's rule: relu'(A) = 1 where A > 0, else 0.
    d *= a > 0


def _linear(z: np.ndarray, out: np.ndarray) -> None:
    if out is not z:
        out[...] = z


def _linear_back(d: np.ndarray, z: np.ndarray, a: np.ndarray) -> None:
    return None


def _tanh(z: np.ndarray, out: np.ndarray) -> None:
    np.tanh(z, out=out)


def _tanh_back(d: np.ndarray, z: np.ndarray, a: np.ndarray) -> None:
    d *= 1 - a * a


def _sigmoid(z: np.ndarray, out: np.ndarray) -> None:
    # 0.5 * (1 + tanh(z / 2)) is the logistic function without overflow for large |z|.
    np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1
    out *= 0.5


def _sigmoid_back(d: np.ndarray, z: np.ndarray, a: np.ndarray) -> None:
    d *= a * (1 - a)


def _leaky_relu(z: np.ndarray, out: np.ndarray) -> None:
    np.maximum(z, LEAKY_SLOPE * z, out=out)


def _leaky_relu_back(d: np.ndarray, z: np.ndarray, a: np.ndarray) -> None:
    d *= np.where(z > 0, 1.0, LEAKY_SLOPE).astype(d.dtype, copy=False)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("relu", _relu, _relu_back, "max(z, 0)"),
        Activation("linear", _linear, _linear_back, "z"),
        Activation("tanh", _tanh, _tanh_back, "tanh(z)"),
        Activation("sigmoid", _sigmoid, _sigmoid_back, "1 / (1 + exp(-z))"),
        Activation("leaky_relu", _leaky_relu, _leaky_relu_back, "max(z, 0.01 z)"),
    )
}


def get_activation(name: str) -> Activation:
    """Look an activation up by name; raises ValueError naming the known ones."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r}; choose from {', '.join(ACTIVATIONS)}"
        ) from None


def apply(name: str, z: np.ndarray) -> np.ndarray:
    """Return act(z) as a new array (for inference and views, not the training hot path)."""
    out = np.empty_like(z)
    get_activation(name).forward(z, out)
    return out
