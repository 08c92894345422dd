"""Optimisers: one small class each, updating parameter arrays in place.

Every ``step(params, grads)`` may overwrite ``grads`` (they are recomputed each step), which
lets the updates run without allocating. ``lr`` is a plain attribute and may be changed
between steps (the GUI changes it live).

Speed: when the parameter arrays are consecutive pieces of one vector (``Network.params`` are)
and so are the gradients (``Backprop.grads`` are), a step updates the whole vector at once
(the same arithmetic element by element, hence the same numbers) instead of looping over
layers: for small networks on minibatches, NumPy's per-call cost outweighs the arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

OPTIMIZER_NAMES = ("gd", "sgd", "momentum", "adam")


def contiguous_span(arrays: Sequence[np.ndarray]) -> np.ndarray | None:
    """The 1-D array whose consecutive pieces ``arrays`` are (C-contiguous views laid end to
    end in one vector, in order), or None when they are not."""
    if not arrays:
        return None
    base = arrays[0].base
    if base is None or base.ndim != 1 or not base.flags.c_contiguous:
        return None
    origin = base.__array_interface__["data"][0]
    start = position = arrays[0].__array_interface__["data"][0]
    for a in arrays:
        if (
            a.base is not base
            or a.dtype != base.dtype
            or not a.flags.c_contiguous
            or a.__array_interface__["data"][0] != position
        ):
            return None
        position += a.nbytes
    item = base.itemsize
    return base[(start - origin) // item : (position - origin) // item]


def zeros_like_all(arrays: Sequence[np.ndarray]) -> tuple[np.ndarray | None, list[np.ndarray]]:
    """Zeroed arrays shaped like ``arrays``, as views of one vector when they share a dtype.

    Returns (vector or None, list of arrays).
    """
    dtypes = {a.dtype for a in arrays}
    if len(dtypes) != 1:
        return None, [np.zeros_like(a) for a in arrays]
    vector = np.zeros(sum(a.size for a in arrays), dtype=dtypes.pop())
    views, start = [], 0
    for a in arrays:
        views.append(vector[start : start + a.size].reshape(a.shape))
        start += a.size
    return vector, views


class _Spans:
    """Remembers whether the last ``params`` and ``grads`` were each one vector (cheap check)."""

    def __init__(self, size: int | None) -> None:
        self.size = size  # length of the optimiser's state vector, None without one
        self._key: tuple[np.ndarray, ...] = ()
        self._spans: tuple[np.ndarray, np.ndarray] | None = None

    def get(
        self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """(parameter vector, gradient vector), or None to update layer by layer."""
        key = (*params, *grads)
        old = self._key
        if len(key) != len(old) or any(a is not b for a, b in zip(key, old, strict=True)):
            self._key = key
            p, g = contiguous_span(params), contiguous_span(grads)
            fits = p is not None and self.size in (None, p.size)
            if fits and p is not None and g is not None and p.shape == g.shape:
                self._spans = (p, g)
            else:
                self._spans = None
        return self._spans


class GradientDescent:
    """Plain (stochastic) gradient descent, the article's rule: p ← p − lr·g."""

    name = "gd"

    def __init__(self, params: Sequence[np.ndarray], lr: float) -> None:
        self.lr = float(lr)
        self._spans = _Spans(None)

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Apply one update in place."""
        spans = self._spans.get(params, grads)
        for p, g in [spans] if spans is not None else zip(params, grads, strict=True):
            g *= self.lr
            p -= g


class Momentum:
    """Heavy-ball momentum: v ← μ·v + g; p ← p − lr·v."""

    name = "momentum"

    def __init__(self, params: Sequence[np.ndarray], lr: float, momentum: float = 0.9) -> None:
        self.lr = float(lr)
        self.momentum = float(momentum)
        self._velocity, self.velocity = zeros_like_all(params)
        self._spans = _Spans(None if self._velocity is None else self._velocity.size)

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Apply one update in place."""
        velocity = self._velocity
        spans = self._spans.get(params, grads) if velocity is not None else None
        triples: Iterable[tuple[np.ndarray, np.ndarray, np.ndarray]]
        if spans is not None and velocity is not None:
            triples = [(spans[0], spans[1], velocity)]
        else:
            triples = zip(params, grads, self.velocity, strict=True)
        for p, g, v in triples:
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
        self._m, self.m = zeros_like_all(params)
        self._v, self.v = zeros_like_all(params)
        self._scratch, self.scratch = zeros_like_all(params)
        self._spans = _Spans(None if self._m is None else self._m.size)
        self.t = 0

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Apply one update in place."""
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        # Fold both bias corrections into the step size and ε (same result, fewer passes).
        step = self.lr * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        eps_hat = self.eps * np.sqrt(1 - b2**self.t)
        m_all, v_all, s_all = self._m, self._v, self._scratch
        vectors = None if m_all is None or v_all is None or s_all is None else (m_all, v_all, s_all)
        spans = self._spans.get(params, grads) if vectors is not None else None
        groups: Iterable[tuple[np.ndarray, ...]]
        if spans is not None and vectors is not None:
            groups = [(*spans, *vectors)]
        else:
            groups = zip(params, grads, self.m, self.v, self.scratch, strict=True)
        for p, g, m, v, s in groups:
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
