"""Gradient check: the engine's backprop against finite differences of the objective.

``check_gradients`` compares, parameter by parameter, the gradient that really trains the
network (``Backprop.loss_and_gradients``) with a numerical derivative of the training objective
L(θ) = ½ · mean over samples of Σ over outputs (ŷ − y)², found from forward passes alone.

How it is done, and why:

- On a float64 copy of the network (a float32 network is widened exactly); the network given
  is never changed, and the engine's gradients are computed in float64 too.
- Derivative: the fourth-order central difference
  f′ ≈ [8 (L(θ+h) − L(θ−h)) − (L(θ+2h) − L(θ−2h))] / (12 h) with h = ``STEP`` = 1e-4. Its
  truncation error is O(h⁴) and its rounding error about ε·L/h, so both stay near 1e-12.
- Kinks: relu and leaky relu bend at z = 0, where the derivative jumps; a difference whose
  steps cross a kink measures neither side. Every candidate sample's *margin* is its smallest
  |Z| over the units of relu and leaky relu layers; samples with a margin of at least
  ``KINK_MARGIN`` are used first (in data order), then those with the largest margins. A step
  of 2h moves a pre-activation by about 2h × |inputs|, far less than the margin.
  ``GradientCheck.kink_margin`` reports the smallest margin among the samples used.
- Parameters: all of them when there are at most ``max_params``; otherwise a seeded random
  subset spread over the layers: each layer's weights and its biases get a share proportional
  to their number, and at least ``MIN_PER_BLOCK`` each (all of them when there are fewer; one
  each when ``max_params`` is too small for that).
- Cost: four forward passes per parameter checked. ``affordable`` picks the number of samples,
  parameters and candidate rows so that a check costs about ``FLOP_BUDGET`` operations (well
  under a second for the presets' networks, and about a second for millions of weights).
- Relative difference per parameter: |g − f| / max(|g|, |f|, tiny), g the engine's and f the
  numerical gradient, tiny = ``TINY`` × max(1, L). The differences carry rounding errors of a
  few ε·L/h ≈ 1e-12 × L (ε the float64 epsilon); the floor keeps a gradient that is zero up to
  rounding (a saturated unit's) from dividing that noise by almost nothing, so such noise
  stays near 1e-5 relative, well under the tolerance.
- Verdict: passed when the largest relative difference is at most ``tolerance`` (default
  ``TOLERANCE`` = 1e-4). Healthy networks of every activation stay below about 1e-6; a wrong
  derivative, a missing 1/m or a transposed dW give differences of order 0.1 to 1.

``check_gradients`` takes the gradient function to test as an argument (default: the engine's),
so that a test can hand it a broken one and see the check fail.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from nngui.core.kernels import Backprop, augment
from nngui.core.losses import objective
from nngui.core.network import Network

#: A gradient function: (float64 network, xs (m, n_inputs), ys (m, n_outputs)) → one array
#: per layer shaped like ``network.params`` (weights on top, biases in the last row).
GradientFunction = Callable[[Network, np.ndarray, np.ndarray], Sequence[np.ndarray]]

STEP = 1e-4
TOLERANCE = 1e-4
TINY = 1e-6
KINK_MARGIN = 1e-2
MIN_PER_BLOCK = 4
MAX_PARAMS = 400
SAMPLES = 32
CANDIDATES = 2000
FLOP_BUDGET = 1e9
KINKED = ("relu", "leaky_relu")


def engine_gradients(network: Network, xs: np.ndarray, ys: np.ndarray) -> list[np.ndarray]:
    """The engine's gradients of the objective: ``Backprop.loss_and_gradients`` on all rows.

    xs : (m, n_inputs), ys : (m, n_outputs); returns copies shaped like ``network.params``.
    """
    bp = Backprop(network, len(xs))
    dt = network.dtype
    bp.loss_and_gradients(len(xs), np.asarray(ys, dtype=dt), inputs=augment(xs, dt))
    return [g.copy() for g in bp.grads]


@dataclass(frozen=True)
class ParameterDiff:
    """One parameter's two gradients: ``layer`` counts from 1, ``kind`` is "weight" or
    "bias", ``index`` is (row, column) into W or (column,) into b."""

    layer: int
    kind: str
    index: tuple[int, ...]
    engine: float
    numeric: float
    rel_diff: float

    def label(self) -> str:
        """A short name, e.g. "W2[0, 3]" or "b1[2]" (indices from 0, as in NumPy)."""
        letter = "W" if self.kind == "weight" else "b"
        return f"{letter}{self.layer}[{', '.join(str(i) for i in self.index)}]"


@dataclass(frozen=True)
class BlockCheck:
    """One layer's weights or biases: how many were checked, of how many, and the worst."""

    checked: int
    total: int
    max_rel_diff: float
    worst: ParameterDiff | None


@dataclass(frozen=True)
class LayerCheck:
    """The check of layer ``layer`` (from 1): its weights and its biases separately."""

    layer: int
    weights: BlockCheck
    biases: BlockCheck


@dataclass(frozen=True)
class GradientCheck:
    """The outcome: the largest relative difference overall and per layer, and the verdict.

    ``checked`` of ``total`` parameters were compared on ``samples`` rows; ``kink_margin`` is
    the smallest |Z| at a relu or leaky relu unit over those rows (inf when there are none);
    ``tiny`` is the floor of the relative difference's denominator; ``note`` explains anything
    that makes the numbers less meaningful ("" when nothing does).
    """

    max_rel_diff: float
    worst: ParameterDiff | None
    layers: tuple[LayerCheck, ...]
    checked: int
    total: int
    samples: int
    tolerance: float
    kink_margin: float
    tiny: float = TINY
    note: str = ""

    @property
    def passed(self) -> bool:
        """True when every checked gradient agrees within the tolerance."""
        return bool(np.isfinite(self.max_rel_diff) and self.max_rel_diff <= self.tolerance)


def relative_difference(g: np.ndarray, f: np.ndarray, tiny: float = TINY) -> np.ndarray:
    """|g − f| / max(|g|, |f|, tiny), elementwise; NaN or inf anywhere gives inf."""
    with np.errstate(all="ignore"):
        g, f = np.asarray(g, dtype=np.float64), np.asarray(f, dtype=np.float64)
        rel = np.abs(g - f) / np.maximum(np.maximum(np.abs(g), np.abs(f)), tiny)
    return np.where(np.isfinite(rel), rel, np.inf)


def check_gradients(
    network: Network,
    xs: np.ndarray,
    ys: np.ndarray,
    *,
    gradient_fn: GradientFunction = engine_gradients,
    samples: int = SAMPLES,
    max_params: int = MAX_PARAMS,
    candidates: int = CANDIDATES,
    tolerance: float = TOLERANCE,
    step: float = STEP,
    seed: int = 0,
) -> GradientCheck:
    """Compare ``gradient_fn``'s gradients with finite differences (see the module's notes).

    xs : (n, n_inputs) standardised inputs, ys : (n, n_outputs) standardised targets, from
    which up to ``samples`` rows away from relu kinks are used (chosen among ``candidates``
    rows). ``seed`` picks the parameter subset when there are more than ``max_params``.
    """
    net = network.astype(np.float64)
    if not net.is_finite():
        return _non_finite(net, tolerance)
    x, y, margin = pick_samples(net, xs, ys, samples, candidates)
    grads = [np.asarray(g, dtype=np.float64) for g in gradient_fn(net, x, y)]
    with np.errstate(all="ignore"):
        tiny = TINY * max(1.0, objective(net.forward(x), y))
    chosen = choose_parameters(net, max_params, np.random.default_rng(seed))
    layers = []
    for l, (w_idx, b_idx) in enumerate(chosen):
        blocks = [
            _check_block(net, grads, (x, y), l, kind, flat, (step, tiny))
            for kind, flat in (("weight", w_idx), ("bias", b_idx))
        ]
        layers.append(LayerCheck(l + 1, *blocks))
    worst = max(
        (blk.worst for lc in layers for blk in (lc.weights, lc.biases) if blk.worst),
        key=lambda d: d.rel_diff,
        default=None,
    )
    note = ""
    if margin < KINK_MARGIN:
        note = (
            f"some relu pre-activations are within {margin:.1g} of the kink at 0, where "
            "finite differences are not the derivative"
        )
    return GradientCheck(
        max_rel_diff=worst.rel_diff if worst else 0.0,
        worst=worst,
        layers=tuple(layers),
        checked=sum(len(w) + len(b) for w, b in chosen),
        total=net.parameter_count(),
        samples=len(x),
        tolerance=tolerance,
        kink_margin=margin,
        tiny=tiny,
        note=note,
    )


def affordable(network: Network, flops: float = FLOP_BUDGET) -> dict[str, int]:
    """``check_gradients`` settings that cost about ``flops`` operations for ``network``.

    Returns {"samples": …, "max_params": …, "candidates": …}: the defaults for small networks;
    for big ones 8 samples, fewer parameters and fewer candidate rows.
    """
    per_row = 2.0 * network.parameter_count()  # one forward pass of one row
    samples = SAMPLES if 4 * SAMPLES * MAX_PARAMS * per_row <= flops else 8
    max_params = int(flops / (4 * samples * per_row))
    candidates = int(min(CANDIDATES, max(samples, 0.1 * flops / per_row)))
    return {
        "samples": samples,
        "max_params": max(1, min(MAX_PARAMS, max_params)),
        "candidates": candidates,
    }


def kink_margins(network: Network, xs: np.ndarray) -> np.ndarray:
    """Per row of xs (n, n_inputs): the smallest |Z| over relu and leaky relu units (or inf)."""
    margin = np.full(len(xs), np.inf)
    with np.errstate(all="ignore"):
        cache = network.forward(xs, keep=True)
    for (z, _), layer in zip(cache, network.layers, strict=True):
        if layer.activation in KINKED:
            margin = np.minimum(margin, np.abs(z).min(axis=1))
    return margin


def pick_samples(
    network: Network,
    xs: np.ndarray,
    ys: np.ndarray,
    samples: int,
    candidates: int = CANDIDATES,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Up to ``samples`` rows of (xs, ys) away from relu kinks, and their smallest margin.

    Candidates are at most ``candidates`` rows spread evenly over the data; rows with a margin
    of at least KINK_MARGIN come first in data order, then the rest by decreasing margin.
    """
    xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    if len(xs) == 0:
        raise ValueError("the gradient check needs at least one sample")
    rows = np.unique(
        np.linspace(0, len(xs) - 1, min(len(xs), max(candidates, samples))).astype(int)
    )
    margin = kink_margins(network, xs[rows])
    order = np.argsort(-np.minimum(margin, KINK_MARGIN), kind="stable")[:samples]
    order.sort()
    used = rows[order]
    return xs[used], ys[used], float(margin[order].min())


def choose_parameters(
    network: Network, max_params: int, rng: np.random.Generator
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per layer: flat indices of the weights and of the biases to check.

    Indices point into ``network.params[l].ravel()`` (weights first, biases last). All of
    them when the network has at most ``max_params``; otherwise a share of each block
    proportional to its size, at least MIN_PER_BLOCK (or the whole block if smaller; one when
    ``max_params`` cannot give every block MIN_PER_BLOCK).
    """
    total = network.parameter_count()
    least = MIN_PER_BLOCK if max_params >= 2 * len(network.layers) * MIN_PER_BLOCK else 1
    chosen = []
    for fan_in, fan_out in network.shapes():
        blocks = []
        for start, size in ((0, fan_in * fan_out), (fan_in * fan_out, fan_out)):
            share = max(least, max_params * size // total)
            k = size if total <= max_params else min(size, share)
            picked = np.arange(size) if k == size else np.sort(rng.choice(size, k, replace=False))
            blocks.append(start + picked)
        chosen.append((blocks[0], blocks[1]))
    return chosen


def numeric_derivative(
    network: Network, x: np.ndarray, y: np.ndarray, layer: int, flat: int, step: float = STEP
) -> float:
    """∂L/∂θ by the fourth-order central difference, θ = params[layer].ravel()[flat].

    The parameter is restored exactly afterwards.
    """
    p = network.params[layer].reshape(-1)  # a view: writes reach the network
    old = p[flat]
    losses = []
    for k in (1, -1, 2, -2):
        p[flat] = old + k * step
        losses.append(objective(network.forward(x), y))
    p[flat] = old
    up, down, up2, down2 = losses
    return (8.0 * (up - down) - (up2 - down2)) / (12.0 * step)


def _check_block(
    net: Network,
    grads: list[np.ndarray],
    data: tuple[np.ndarray, np.ndarray],
    layer: int,
    kind: str,
    flat: np.ndarray,
    step_tiny: tuple[float, float],
) -> BlockCheck:
    """Compare the gradients of one layer's weights or biases at the flat indices ``flat``.

    data is (xs, ys); step_tiny is (finite-difference step, floor of the denominator).
    """
    (x, y), (step, tiny) = data, step_tiny
    fan_in, fan_out = net.shapes()[layer]
    total = fan_in * fan_out if kind == "weight" else fan_out
    if len(flat) == 0:
        return BlockCheck(0, total, 0.0, None)
    with np.errstate(all="ignore"):
        numeric = np.array([numeric_derivative(net, x, y, layer, int(i), step) for i in flat])
    engine = grads[layer].reshape(-1)[flat]
    rel = relative_difference(engine, numeric, tiny)
    i = int(np.argmax(rel))
    row, col = divmod(int(flat[i]), fan_out)
    index = (row, col) if kind == "weight" else (col,)
    worst = ParameterDiff(
        layer + 1, kind, index, float(engine[i]), float(numeric[i]), float(rel[i])
    )
    return BlockCheck(len(flat), total, float(rel[i]), worst)


def _non_finite(net: Network, tolerance: float) -> GradientCheck:
    """The result for a network with NaN or infinite weights: nothing can be checked."""
    return GradientCheck(
        max_rel_diff=float("nan"),
        worst=None,
        layers=(),
        checked=0,
        total=net.parameter_count(),
        samples=0,
        tolerance=tolerance,
        kink_margin=float("nan"),
        note="the network has NaN or infinite weights, so there are no gradients to check",
    )
