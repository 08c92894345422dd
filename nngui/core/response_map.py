"""Response maps: a model's prediction over a grid of two of its numeric inputs, the others held.

For data with no formula to compare with (a CSV file) the map the window shows is the network's
*response*: ``response_grid`` evaluates the model on an ``n × n`` grid of two numeric inputs
(the axes) over their training ranges, optionally extended past them, every other input held
at a given value (by default its training median; a categorical input at a category):

    prediction[k, j, i] = model_k(inputs with x-axis = x_i, y-axis = y_j, the rest = held)

As for error maps, row j of ``prediction[k]`` is y_j and the grid points are the centres of
equal cells tiling the shown area. ``row_errors`` gives the rows of a data split with their
prediction and absolute error, to draw over the map.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from nngui.core.data import Dataset, InputColumn, Split
from nngui.core.error_map import (
    DEFAULT_RESOLUTION,
    HEADROOM,
    LEVEL_PERCENTILES,
    MAX_RESOLUTION,
    MIN_RESOLUTION,
    Range,
    cell_centres,
    extended_range,
    predict_in_passes,
)
from nngui.core.model import Model


@dataclass(frozen=True)
class ResponseGrid:
    """A model's predictions on a grid of two inputs (see the module docstring).

    x : ndarray (n_x,), y : ndarray (n_y,) — cell centres of the two axes (original units);
    prediction : ndarray (n_outputs, n_y, n_x); axes : the network inputs along x and y;
    held : the full input vector the other inputs are held at; ranges : the training ranges
    of the axes; shown : the (possibly extended) area the grid tiles.
    """

    x: np.ndarray
    y: np.ndarray
    prediction: np.ndarray
    axes: tuple[int, int]
    held: np.ndarray
    ranges: tuple[Range, Range]
    shown: tuple[Range, Range]
    output_names: tuple[str, ...]

    @property
    def rect(self) -> tuple[float, float, float, float]:
        """(x, y, width, height) of the shown area: where to draw an image of a prediction."""
        (x_lo, x_hi), (y_lo, y_hi) = self.shown
        return x_lo, y_lo, x_hi - x_lo, y_hi - y_lo


def numeric_inputs(model: Model) -> list[int]:
    """The network inputs that are numeric columns (the possible axes of a map)."""
    columns = model.input_columns or tuple(InputColumn(n) for n in model.input_names)
    found, at = [], 0
    for column in columns:
        if column.kind == "numeric":
            found.append(at)
        at += len(column.encoded_names)
    return found


def training_medians(dataset: Dataset) -> np.ndarray:
    """Per network input, the median of the training split (for one-hot inputs: 1 for the
    most frequent category of each column, 0 for the others)."""
    x = dataset.train.x
    held: np.ndarray = np.median(x, axis=0)
    at = 0
    for column in dataset.columns:
        width = len(column.encoded_names)
        if column.kind == "categorical":
            block = np.zeros(width)
            block[int(np.argmax(x[:, at : at + width].sum(axis=0)))] = 1.0
            held[at : at + width] = block
        at += width
    return held


def response_grid_steps(
    model: Model, axes: tuple[int, int], ranges: Sequence[Range], held: np.ndarray,
    resolution: int = DEFAULT_RESOLUTION, extend: float = 0.0, rows_per_step: int = 25,
) -> Iterator[ResponseGrid | None]:  # fmt: skip
    """The grid in steps of ``rows_per_step`` grid rows: None after every step but the last,
    then the ResponseGrid. Raises ValueError for axes that are not two different numeric
    inputs, a held vector of the wrong length, or a resolution or extend out of bounds."""
    n_inputs = model.network.n_inputs
    if len(set(axes)) != 2 or not all(a in numeric_inputs(model) for a in axes):
        raise ValueError("a response map needs two different numeric inputs as axes")
    held = np.asarray(held, dtype=np.float64)
    if held.shape != (n_inputs,):
        raise ValueError(f"held values for {n_inputs} inputs expected, got {held.shape}")
    if not MIN_RESOLUTION <= resolution <= MAX_RESOLUTION:
        raise ValueError(
            f"resolution must be from {MIN_RESOLUTION} to {MAX_RESOLUTION:,}, got {resolution!r}"
        )
    if rows_per_step < 1:
        raise ValueError("rows_per_step must be at least 1")
    train = tuple((float(lo), float(hi)) for lo, hi in ranges)
    if len(train) != 2:
        raise ValueError("a response map needs the ranges of its two axes")
    shown = tuple(extended_range(lo, hi, extend) for lo, hi in train)
    x = cell_centres(*shown[0], resolution)
    y = cell_centres(*shown[1], resolution)
    n_out = model.network.n_outputs
    prediction = np.empty((len(y), len(x), n_out))
    for start in range(0, len(y), rows_per_step):
        if start:
            yield None
        ys = y[start : start + rows_per_step]
        inputs = np.tile(held, (len(ys) * len(x), 1))
        inputs[:, axes[0]] = np.tile(x, len(ys))
        inputs[:, axes[1]] = np.repeat(ys, len(x))
        with np.errstate(all="ignore"):
            block = predict_in_passes(model, inputs).reshape(len(ys), len(x), n_out)
        prediction[start : start + len(ys)] = block
    yield ResponseGrid(
        x=x, y=y, prediction=np.ascontiguousarray(prediction.transpose(2, 0, 1)),
        axes=(axes[0], axes[1]), held=held, ranges=(train[0], train[1]),
        shown=(shown[0], shown[1]), output_names=tuple(model.output_names),
    )  # fmt: skip


def response_grid(
    model: Model, axes: tuple[int, int], ranges: Sequence[Range], held: np.ndarray,
    resolution: int = DEFAULT_RESOLUTION, extend: float = 0.0,
) -> ResponseGrid:  # fmt: skip
    """The whole grid at once (see ``response_grid_steps``)."""
    *_, grid = response_grid_steps(model, axes, ranges, held, resolution, extend, resolution)
    assert isinstance(grid, ResponseGrid)
    return grid


@dataclass(frozen=True)
class RowErrors:
    """The rows of a split as a map draws them: their inputs, truth, prediction and error."""

    x: np.ndarray
    truth: np.ndarray
    prediction: np.ndarray
    error: np.ndarray


def row_errors(model: Model, split: Split) -> RowErrors:
    """The model's prediction and absolute error on every row of ``split``."""
    with np.errstate(all="ignore"):
        prediction = predict_in_passes(model, split.x)
        error = np.abs(prediction - split.y)
    return RowErrors(split.x, split.y, prediction, error)


def value_levels(*parts: np.ndarray, previous: Range | None = None) -> Range | None:
    """Colour limits for predictions and true values: from the lowest 1st to the highest 99th
    percentile of the ``parts`` (each counts, however few its values; None when no value is
    finite). With ``previous`` levels they stay put while the values fit inside and still use
    at least HEADROOM of them (a live map's colours do not flicker)."""
    bounds = [
        np.percentile(finite, LEVEL_PERCENTILES)
        for part in parts
        if (finite := part[np.isfinite(part)]).size
    ]
    if not bounds:
        return None
    lo, hi = min(float(b[0]) for b in bounds), max(float(b[1]) for b in bounds)
    if hi <= lo:
        pad = abs(lo) * 0.05 or 1.0
        lo, hi = lo - pad, hi + pad
    if previous is not None:
        p_lo, p_hi = previous
        if p_lo <= lo and hi <= p_hi and hi - lo >= HEADROOM * (p_hi - p_lo):
            return previous
    return lo, hi
