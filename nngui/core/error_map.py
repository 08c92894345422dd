"""Error maps: the network's absolute error over a regular grid of the two inputs (a, b).

``error_grid`` evaluates a model on an ``n × n`` grid covering the training ranges, optionally
extended past them to show extrapolation, and compares it with the noiseless target formulas:

    error[k, j, i] = |prediction_k(a_i, b_j) − truth_k(a_i, b_j)|

One row of the grid is one value of b, so ``error[k]`` is an image with a along its columns
(x) and b along its rows (y). Grid points are the *centres* of ``n × n`` equal cells that tile
the shown area exactly, so an image of ``error[k]`` stretched over ``ErrorGrid.rect`` puts every
pixel over the inputs it was computed at.

``colour_levels`` picks colour-scale limits for such a map that stay put from one training
snapshot to the next (rounded to nice values, with hysteresis), on a linear or log scale.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from nngui.core.data import TARGETS, true_outputs
from nngui.core.model import Model

#: Grid points per side of an error map: the window's (fixed) and the default of ``nngui export``.
DEFAULT_RESOLUTION = 100
#: The allowed grid points per side. Below 2 a map shows nothing; above 1,000 (a million points
#: per output) exporting the map as CSV takes minutes and gigabytes for six outputs.
MIN_RESOLUTION = 2
MAX_RESOLUTION = 1_000
#: The most a map may extend past the training range, in range widths on each side.
MAX_EXTEND = 2.0
#: Grid points go through the network in passes of at most this many values in its widest
#: layer (32 MB as float64), so that a wide network does not need memory for the whole grid.
PASS_VALUES = 1 << 22
#: Percentiles of the finite errors that the automatic colour levels cover.
LEVEL_PERCENTILES = (1.0, 99.0)
#: Log-scale levels span at least one and at most this many decades.
MAX_DECADES = 6.0
#: Hysteresis: a limit moves in (shrinks) only as far as leaves the data this much headroom
#: (a factor for linear levels, decades for log levels); it moves out as soon as they pass it.
HEADROOM = 0.8
HEADROOM_DECADES = 0.3

Range = tuple[float, float]


@dataclass(frozen=True)
class ErrorGrid:
    """A model's predictions, the true values and their absolute differences on an (a, b) grid.

    a : ndarray (n_a,), b : ndarray (n_b,) — grid coordinates (cell centres, original units);
    prediction, truth, error : ndarray (n_outputs, n_b, n_a) — row j is b[j], column i is a[i];
    error = |prediction − truth|, NaN or inf where the network's output is not finite;
    ranges : the training ranges ((a_low, a_high), (b_low, b_high)) the grid was built around;
    shown : the (possibly extended) area the grid tiles, ((a_low, a_high), (b_low, b_high));
    output_names : one name per output (the target formulas).
    """

    a: np.ndarray
    b: np.ndarray
    prediction: np.ndarray
    truth: np.ndarray
    error: np.ndarray
    ranges: tuple[Range, Range]
    shown: tuple[Range, Range]
    output_names: tuple[str, ...]

    @property
    def rect(self) -> tuple[float, float, float, float]:
        """(x, y, width, height) of the shown area: where to draw an image of ``error[k]``."""
        (a_lo, a_hi), (b_lo, b_hi) = self.shown
        return a_lo, b_lo, a_hi - a_lo, b_hi - b_lo

    def inside(self) -> np.ndarray:
        """Boolean mask (n_b, n_a): grid points inside the training ranges."""
        (a_lo, a_hi), (b_lo, b_hi) = self.ranges
        in_a = (self.a >= a_lo) & (self.a <= a_hi)
        in_b = (self.b >= b_lo) & (self.b <= b_hi)
        return in_b[:, None] & in_a[None, :]


def extended_range(low: float, high: float, extend: float) -> Range:
    """(low, high) widened by ``extend`` × (high − low) on each side (0 <= extend <= MAX_EXTEND)."""
    if not (math.isfinite(extend) and 0 <= extend <= MAX_EXTEND):
        raise ValueError(f"extend must be a number from 0 to {MAX_EXTEND:g}, got {extend!r}")
    pad = extend * (high - low)
    return low - pad, high + pad


def cell_centres(low: float, high: float, n: int) -> np.ndarray:
    """Centres of n equal cells tiling [low, high]: low + (i + ½)·(high − low)/n, shape (n,)."""
    step = (high - low) / n
    return low + (np.arange(n) + 0.5) * step


def grid_inputs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Every (a_i, b_j) as rows of shape (len(b) · len(a), 2), b-major (row j·n_a + i)."""
    aa, bb = np.meshgrid(a, b)  # (n_b, n_a) each
    return np.column_stack([aa.ravel(), bb.ravel()])


def _check(model: Model, targets: tuple[str, ...], ranges: Sequence[Range], n: int) -> None:
    """Raise ValueError unless ``error_grid`` can map this model against these targets."""
    if model.network.n_inputs != 2 or len(ranges) != 2:
        raise ValueError("an error map needs exactly two inputs")
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        raise ValueError(f"no formula for target {unknown[0]!r}")
    if len(targets) != model.network.n_outputs:
        raise ValueError(f"{len(targets)} targets for {model.network.n_outputs} outputs")
    if not MIN_RESOLUTION <= n <= MAX_RESOLUTION:
        raise ValueError(
            f"resolution must be a whole number from {MIN_RESOLUTION} to {MAX_RESOLUTION:,}, "
            f"got {n!r}"
        )


def error_grid(
    model: Model,
    targets: Sequence[str],
    ranges: Sequence[Range],
    resolution: int = DEFAULT_RESOLUTION,
    extend: float = 0.0,
) -> ErrorGrid:
    """Evaluate ``model`` on a ``resolution × resolution`` grid and compare with ``targets``.

    model : a two-input Model (predicts in original units);
    targets : one name in ``data.TARGETS`` per model output (the noiseless truth);
    ranges : the training ranges ((a_low, a_high), (b_low, b_high)), e.g. ``spec.ranges``;
    extend : fraction of each range's width added on every side (0.5: half a range more).
    Grid points go through the network in passes of at most PASS_VALUES values in its widest
    layer. Overflowing or NaN outputs of
    a diverged network give inf / NaN errors, silently. Raises ValueError for a model that
    does not have two inputs, unknown targets, a resolution outside MIN_RESOLUTION to
    MAX_RESOLUTION or an extend outside 0 to MAX_EXTEND.
    """
    steps = error_grid_steps(model, targets, ranges, resolution, extend, rows_per_step=resolution)
    return _last(steps)


def error_grid_steps(
    model: Model,
    targets: Sequence[str],
    ranges: Sequence[Range],
    resolution: int = DEFAULT_RESOLUTION,
    extend: float = 0.0,
    rows_per_step: int = 25,
) -> Iterator[ErrorGrid | None]:
    """``error_grid`` in steps of ``rows_per_step`` grid rows (values of b) each: yields None
    after every step but the last, then the ErrorGrid. For a window that must stay responsive
    while the map of a large network is computed; the result equals ``error_grid``'s.
    """
    targets = tuple(targets)
    _check(model, targets, ranges, resolution)
    if rows_per_step < 1:
        raise ValueError("rows_per_step must be at least 1")
    train = tuple((float(lo), float(hi)) for lo, hi in ranges)
    shown = tuple(extended_range(lo, hi, extend) for lo, hi in train)
    a = cell_centres(*shown[0], resolution)
    b = cell_centres(*shown[1], resolution)
    shape = (len(b), len(a), len(targets))
    prediction, truth = np.empty(shape), np.empty(shape)
    for start in range(0, len(b), rows_per_step):
        if start:
            yield None
        rows = slice(start, start + rows_per_step)
        x = grid_inputs(a, b[rows])
        block = (len(b[rows]), len(a), len(targets))
        with np.errstate(all="ignore"):
            prediction[rows] = predict_in_passes(model, x).reshape(block)
            truth[rows] = true_outputs(x, targets).reshape(block)
    with np.errstate(all="ignore"):
        error = np.abs(prediction - truth)
    # (n_b, n_a, n_outputs) → (n_outputs, n_b, n_a): one contiguous image per output.
    yield ErrorGrid(
        a=a,
        b=b,
        prediction=np.ascontiguousarray(prediction.transpose(2, 0, 1)),
        truth=np.ascontiguousarray(truth.transpose(2, 0, 1)),
        error=np.ascontiguousarray(error.transpose(2, 0, 1)),
        ranges=train,  # type: ignore[arg-type]
        shown=shown,  # type: ignore[arg-type]
        output_names=targets,
    )


def _last(steps: Iterator[ErrorGrid | None]) -> ErrorGrid:
    """Run ``steps`` to the end; the grid it ends with."""
    *_, grid = steps
    assert isinstance(grid, ErrorGrid)
    return grid


def predict_in_passes(model: Model, x: np.ndarray) -> np.ndarray:
    """``model.predict(x)``, in passes of rows small enough for its widest layer."""
    widest = max([model.network.n_inputs, *(layer.units for layer in model.network.layers)])
    rows = max(1, PASS_VALUES // widest)
    if len(x) <= rows:
        return model.predict(x)
    return np.concatenate([model.predict(x[i : i + rows]) for i in range(0, len(x), rows)])


# ----- colour levels ----------------------------------------------------------------------
def nice_ceil(v: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is >= v (v > 0)."""
    power = 10.0 ** math.floor(math.log10(v))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * power >= v * (1 - 1e-12):
            return m * power
    return 10.0 * power  # pragma: no cover (the loop always returns)


def colour_levels(error: np.ndarray, log: bool, previous: Range | None = None) -> Range | None:
    """Colour-scale limits for an error image, or None when it has no usable value.

    error : ndarray of any shape, values >= 0 (NaN / inf ignored).
    Linear scale: (0, nice_ceil(99th percentile)). Log scale: log10 limits in whole decades
    around the 1st and 99th percentiles of the positive errors, spanning 1 to MAX_DECADES.
    With ``previous`` levels (same scale) a limit moves out at once when the data pass it, but
    moves in only to a value that leaves the data headroom (HEADROOM, HEADROOM_DECADES): data
    wobbling around a rounding step do not make the colours of a live map flicker.
    """
    finite = error[np.isfinite(error)]
    if log:
        finite = finite[finite > 0]
    if finite.size == 0:
        return None
    p_lo, p_hi = np.percentile(finite, LEVEL_PERCENTILES)
    if log:
        return _log_levels(math.log10(p_lo), math.log10(p_hi), previous)
    if p_hi <= 0:
        return 0.0, 1.0
    if previous is None or p_hi > previous[1]:
        return 0.0, nice_ceil(p_hi)
    return 0.0, min(previous[1], nice_ceil(p_hi / HEADROOM))


def _log_levels(lo: float, hi: float, previous: Range | None) -> Range:
    """Whole-decade log10 limits around (lo, hi), with hysteresis against ``previous``."""
    top, bottom = float(math.ceil(hi)), float(math.floor(lo))
    if previous is not None:
        if hi <= previous[1]:
            top = min(previous[1], float(math.ceil(hi + HEADROOM_DECADES)))
        if lo >= previous[0]:
            bottom = max(previous[0], float(math.floor(lo - HEADROOM_DECADES)))
    bottom = min(max(bottom, top - MAX_DECADES), top - 1.0)
    return bottom, top
