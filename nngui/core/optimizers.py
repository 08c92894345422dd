"""Optimisers: one small class each, updating parameter arrays in place.

Every ``step(params, grads)`` may overwrite ``grads`` (they are recomputed each step), which
lets the updates run without allocating. ``lr`` is a plain attribute and may be changed
between steps (the GUI changes it live).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

OPTIMIZER_NAMES = ("gd", "sgd", "momentum", "adam")


class GradientDescent:
    """Plain (stochastic) gradient descent, the article's rule: p ← p − lr·g."""

    name = "gd"

    def __init__(self, params: Sequence[np.ndarray], lr: float) -> None:
        self.lr = float(lr)

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Apply one update in place."""
        for p, g in zip(params, grads, strict=True):
            g *= self.lr
            p -= g


class Momentum:
    """Heavy-ball momentum: v ← μ·v + g; p ← p − lr·v."""

    name = "momentum"

    def __init__(self, params: Sequence[np.ndarray], lr: float, momentum: float = 0.9) -> None:
        self.lr = float(lr)
        self.momentum = float(momentum)
        self.velocity = [np.zeros_like(p) for p in params]

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Apply one update in place."""
        for p, g, v in zip(params, grads, self.velocity, strict=True):
            v *= self.momentum
            v += g
            np.multiply(v, self.lr, out=g)
            p -= g


class Adam:
    """Adam (Kingma & Ba) with bias correction.

    m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  p ← p − lr·m̂ / (√v̂ + ε)
    """

    name = "adam"

    def __init__(
        self,
        params: Sequence[np.ndarray],
        lr: float,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ) -> None:
        self.lr = float(lr)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.scratch = [np.empty_like(p) for p in params]
        self.t = 0

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Apply one update in place."""
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        # Fold both bias corrections into the step size and ε (same result, fewer passes).
        step = self.lr * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        eps_hat = self.eps * np.sqrt(1 - b2**self.t)
        for p, g, m, v, s in zip(params, grads, self.m, self.v, self.scratch, strict=True):
            m *= b1
            np.multiply(g, 1 - b1, out=s)
            m += s
            np.multiply(g, g, out=s)
            s *= 1 - b2
            v *= b2
            v += s
            np.sqrt(v, out=s)
            s += eps_hat
            np.divide(m, s, out=s)
            s *= step
            p -= s


def make_optimizer(
    name: str,
    params: Sequence[np.ndarray],
    lr: float,
    momentum: float = 0.9,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> GradientDescent | Momentum | Adam:
    """Build an optimiser by name: gd, sgd (same rule, for minibatches), momentum or adam."""
    if name in ("gd", "sgd"):
        opt = GradientDescent(params, lr)
        opt.name = name
        return opt
    if name == "momentum":
        return Momentum(params, lr, momentum)
    if name == "adam":
        return Adam(params, lr, beta1, beta2, eps)
    raise ValueError(f"unknown optimizer {name!r}; choose from {', '.join(OPTIMIZER_NAMES)}")
