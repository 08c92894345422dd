"""Activation functions by name: each forward rule beside its derivative.

One registry serves the network, the views that explain it, the GUI's combo boxes and the
model file. The training rules work in place on preallocated arrays so that training
allocates nothing per step: ``forward(z, out)`` writes act(z) into ``out``; ``backward(d, z,
a)`` multiplies the upstream gradient ``d`` (dL/dA) by act'(z) in place, turning it into dL/dZ
(``a`` = act(z) is given for rules that are cheaper in terms of the output). ``prime(z)``
returns act'(z) as a new float64 array, and ``formula`` / ``prime_formula`` say both as people
read them (the Inside view shows them); tests check that ``prime`` and ``backward`` agree.
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
    prime: Callable[[np.ndarray], np.ndarray]
    prime_formula: str


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


def _relu_prime(z: np.ndarray) -> np.ndarray:
    return (z > 0).astype(np.float64)  # the article's rule: 1 where the unit is active


def _linear_prime(z: np.ndarray) -> np.ndarray:
    return np.ones_like(z, dtype=np.float64)


def _tanh_prime(z: np.ndarray) -> np.ndarray:
    prime: np.ndarray = 1.0 - np.tanh(np.asarray(z, dtype=np.float64)) ** 2
    return prime


def _sigmoid_prime(z: np.ndarray) -> np.ndarray:
    s = 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))
    prime: np.ndarray = s * (1.0 - s)
    return prime


def _leaky_relu_prime(z: np.ndarray) -> np.ndarray:
    return np.where(z > 0, 1.0, LEAKY_SLOPE)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("relu", _relu, _relu_back, "max(z, 0)", _relu_prime, "1 where z > 0, else 0"),
        Activation("linear", _linear, _linear_back, "z", _linear_prime, "1"),
        Activation("tanh", _tanh, _tanh_back, "tanh(z)", _tanh_prime, "1 − tanh²(z)"),
        Activation(
            "sigmoid",
            _sigmoid,
            _sigmoid_back,
            "1 / (1 + exp(-z))",
            _sigmoid_prime,
            "σ(z) · (1 − σ(z))",
        ),
        Activation(
            "leaky_relu",
            _leaky_relu,
            _leaky_relu_back,
            "max(z, 0.01 z)",
            _leaky_relu_prime,
            f"1 where z > 0, else {LEAKY_SLOPE:g}",
        ),
    )
}


def _softmax(z: np.ndarray, out: np.ndarray) -> None:
    np.subtract(z, z.max(axis=1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=1, keepdims=True)


def _softmax_back(d: np.ndarray, z: np.ndarray, a: np.ndarray) -> None:
    # The Jacobian-vector product row by row: dZ = A ⊙ (dA − Σ_j dA_j A_j).
    d -= np.einsum("ij,ij->i", d, a)[:, None]
    d *= a


def _softmax_prime(z: np.ndarray) -> np.ndarray:
    raise ValueError(
        "softmax has no derivative per unit (each output depends on every logit): it is an "
        "output layer's activation, trained with cross-entropy"
    )


#: Activations only an output layer may have (the task chooses them, the user does not).
OUTPUT_ACTIVATIONS: dict[str, Activation] = {
    "softmax": Activation(
        "softmax", _softmax, _softmax_back, "exp(z) / Σ exp(z) over the row", _softmax_prime,
        "(with cross-entropy, dZ = A − Y)",
    ),
}  # fmt: skip


def get_activation(name: str) -> Activation:
    """Look an activation up by name; raises ValueError naming the known ones."""
    found = ACTIVATIONS.get(name) or OUTPUT_ACTIVATIONS.get(name)
    if found is None:
        raise ValueError(f"unknown activation {name!r}; choose from {', '.join(ACTIVATIONS)}")
    return found


def apply(name: str, z: np.ndarray) -> np.ndarray:
    """Return act(z) as a new array (for inference and views, not the training hot path)."""
    out = np.empty_like(z)
    get_activation(name).forward(z, out)
    return out
