"""Per-layer statistics: histograms of weights and of activations, and dead relu units.

A relu unit is *dead* on a set of inputs when its activation is 0 for every one of them: its
output never changes, no gradient flows through it, and gradient descent cannot revive it.
``layer_stats`` counts such units in every hidden relu layer, over at most ``MAX_ROWS`` rows
spread evenly over the inputs given (the same rows on every call, so that repeated calls while
training compare like with like).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nngui.core.network import Network

BINS = 30
MAX_ROWS = 2000


@dataclass(frozen=True)
class Histogram:
    """Counts of the finite values in ``bins`` equal bins.

    edges : (bins + 1,) bin edges; counts : (bins,) values per bin (the last bin includes its
    right edge); ``non_finite`` counts the NaN and infinite values left out.
    """

    edges: np.ndarray
    counts: np.ndarray
    non_finite: int

    @property
    def total(self) -> int:
        """Number of finite values counted."""
        return int(self.counts.sum())


@dataclass(frozen=True)
class LayerStats:
    """Statistics of layer ``layer`` (counting from 1) over a set of inputs.

    weights : histogram of its fan_in × fan_out weights (biases not included);
    activations : histogram of its activations A over the rows used (rows × units values);
    dead : (units,) bool, True for a relu unit whose activation is 0 on every row, or None for
    the output layer and layers that are not relu.
    """

    layer: int
    activation: str
    units: int
    weights: Histogram
    activations: Histogram
    dead: np.ndarray | None

    @property
    def dead_count(self) -> int | None:
        """Number of dead units, or None when the layer is not a hidden relu layer."""
        return None if self.dead is None else int(self.dead.sum())


def histogram(values: np.ndarray, bins: int = BINS) -> Histogram:
    """Histogram of the finite entries of ``values`` (any shape) over their own range.

    A single repeated value gets bins centred on it (range value ± 0.5); with no finite value
    at all the edges are 0 … 1 and every count is 0.
    """
    flat = np.asarray(values, dtype=np.float64).ravel()
    finite = flat[np.isfinite(flat)]
    if finite.size == 0:
        lo, hi = 0.0, 1.0
    else:
        lo, hi = float(finite.min()), float(finite.max())
        if not hi - lo > 1e-12 * max(1.0, abs(lo)):
            lo, hi = lo - 0.5, hi + 0.5
    counts, edges = np.histogram(finite, bins=bins, range=(lo, hi))
    return Histogram(edges=edges, counts=counts, non_finite=int(flat.size - finite.size))


def spread_rows(n: int, max_rows: int = MAX_ROWS) -> np.ndarray:
    """Indices of at most ``max_rows`` rows spread evenly over 0 … n − 1 (all when n is small)."""
    if n <= max_rows:
        return np.arange(n)
    return np.linspace(0, n - 1, max_rows).round().astype(np.intp)


def dead_units(a: np.ndarray) -> np.ndarray:
    """(units,) bool: True where a column of activations a (rows, units) is 0 on every row."""
    dead: np.ndarray = ~np.any(a != 0, axis=0)
    return dead


def layer_stats(
    network: Network, xs: np.ndarray, bins: int = BINS, max_rows: int = MAX_ROWS
) -> list[LayerStats]:
    """Histograms and dead units of every layer for standardised inputs xs (n, n_inputs).

    At most ``max_rows`` rows of xs are used (see ``spread_rows``). Non-finite weights or
    activations are left out of the histograms and counted, never raised or warned about.
    """
    xs = np.asarray(xs)
    rows = xs[spread_rows(len(xs), max_rows)]
    with np.errstate(all="ignore"):
        cache = network.forward(rows, keep=True)
    stats = []
    last = len(network.layers) - 1
    for l, (w, layer, (_, a)) in enumerate(
        zip(network.weights, network.layers, cache, strict=True)
    ):
        hidden_relu = l < last and layer.activation == "relu"
        stats.append(
            LayerStats(
                layer=l + 1,
                activation=layer.activation,
                units=layer.units,
                weights=histogram(w, bins),
                activations=histogram(a, bins),
                dead=dead_units(a) if hidden_relu and len(rows) else None,
            )
        )
    return stats


def dead_text(stats: LayerStats) -> str:
    """The dead units as a sentence, e.g. "2 of 32 units dead (6 %)" ("" when not relu)."""
    if stats.dead is None:
        return ""
    n, units = int(stats.dead.sum()), stats.units
    return f"{n} of {units} unit{'s' if units != 1 else ''} dead ({100 * n / units:.0f} %)"
