"""Neuron maps: every neuron's activation over a plane of the inputs (Playground's thumbnails).

The plane is the decision map's (``core.decision_map``): for a Playground set the points' own
(x1, x2) plane, every grid point's features (x1², sin x1 …) computed from it as the set
computes them; for other data two numeric inputs, every other input held at its training
median (a one-hot categorical input at its most frequent category, as the response map holds
them). ``neuron_maps`` sends the ``n × n`` grid through the network in one batched forward
pass that keeps every layer's activations:

    layers[l][j, i, u] = A of unit u of layer l + 1 at plane point (x_i, y_j)

(row j is y_j, as in the other maps) and ``inputs[j, i, k]`` the standardised input k the
network receives there. Building the grid (``neuron_grid``) depends on the data and the
scalers only, not on the weights, so a view refreshing while training builds it once and
calls ``grid_activations`` per refresh.

``diverging_strength`` puts activations on one diverging scale in [-1, 1]: centred on the
activation's midpoint (``activation_centre``: 0.5 for sigmoid, 1/K for softmax, 0 otherwise)
and scaled per neuron by its largest |activation − centre| on the grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nngui.core.data import Dataset
from nngui.core.decision_map import Plane, input_plane, playground_plane
from nngui.core.error_map import PASS_VALUES, Range, cell_centres, extended_range
from nngui.core.model import Model
from nngui.core.network import Network
from nngui.core.playground_source import PlaygroundSpec
from nngui.core.response_map import numeric_inputs

#: Grid points per side of a thumbnail by default, and the bounds.
DEFAULT_RESOLUTION = 28
MIN_RESOLUTION, MAX_RESOLUTION = 2, 256
#: How far past the training range the plane reaches, in range widths (the decision map's).
EXTEND = 0.1
#: The Playground inputs a plane can be drawn over (the features are computed from them).
PLANE_FEATURES = ("x1", "x2")


@dataclass(frozen=True)
class NeuronGrid:
    """The grid the maps are evaluated on: what does not change while the network trains.

    x : (n_x,), y : (n_y,) cell centres of the two axes (original units); names : the axes'
    names; shown : the area the grid tiles; xs : (n_y · n_x, n_inputs) the standardised
    network inputs of the grid points, row j · n_x + i for (x_i, y_j).
    """

    x: np.ndarray
    y: np.ndarray
    names: tuple[str, str]
    shown: tuple[Range, Range]
    xs: np.ndarray


@dataclass(frozen=True)
class NeuronMaps:
    """Every neuron's activation on a grid (see the module docstring).

    inputs : (n_y, n_x, n_inputs) the standardised inputs; layers : one (n_y, n_x, units)
    array per layer after the input, first hidden layer to the output, float64; NaN or inf
    where the weights are not finite.
    """

    x: np.ndarray
    y: np.ndarray
    names: tuple[str, str]
    shown: tuple[Range, Range]
    inputs: np.ndarray
    layers: tuple[np.ndarray, ...]

    @property
    def rect(self) -> tuple[float, float, float, float]:
        """(x, y, width, height) of the area the grid tiles."""
        (x_lo, x_hi), (y_lo, y_hi) = self.shown
        return x_lo, y_lo, x_hi - x_lo, y_hi - y_lo

    def column(self, layer: int) -> np.ndarray:
        """The maps of diagram column ``layer`` (0: the inputs, 1…: the layers), (n_y, n_x, k)."""
        return self.inputs if layer == 0 else self.layers[layer - 1]

    def neuron(self, layer: int, unit: int) -> np.ndarray:
        """The (n_y, n_x) map of unit ``unit`` of column ``layer`` (0: the inputs)."""
        out: np.ndarray = self.column(layer)[:, :, unit]
        return out

    def value_range(self, layer: int, unit: int) -> Range:
        """(min, max) of the finite values of one neuron's map ((nan, nan) when none is)."""
        values = self.neuron(layer, unit)
        finite = values[np.isfinite(values)]
        if not finite.size:
            return float("nan"), float("nan")
        return float(finite.min()), float(finite.max())


def neuron_plane(model: Model, dataset: Dataset, axes: tuple[int, int] | None = None) -> Plane:
    """The plane the maps are drawn over.

    For a Playground set the (x1, x2) plane, features recomputed from it, when ``axes`` is
    None or names its x1 and x2 inputs (in that order or swapped); other axes of a Playground
    set raise ValueError (its derived features cannot be held). For other data the numeric
    inputs ``axes`` (default: the first two), the others held at their training medians;
    ValueError when there are not two numeric inputs.
    """
    if isinstance(dataset.spec, PlaygroundSpec):
        plane = playground_plane(dataset)
        if axes is None:
            return plane
        names = tuple(model.input_names[a] for a in axes if 0 <= a < len(model.input_names))
        if names == PLANE_FEATURES:
            return plane
        if names == PLANE_FEATURES[::-1]:
            return _swapped(plane)
        raise ValueError("the neuron maps of a Playground set are drawn over x1 and x2")
    if axes is None:
        numeric = numeric_inputs(model)
        if len(numeric) < 2:
            raise ValueError(
                f"neuron maps need two numeric inputs; this network has {len(numeric)}"
            )
        axes = (numeric[0], numeric[1])
    return input_plane(model, dataset, axes)


def _swapped(plane: Plane) -> Plane:
    """``plane`` with its axes exchanged."""

    def to_inputs(p: np.ndarray) -> np.ndarray:
        return plane.to_inputs(p[:, ::-1])

    points = {name: p[:, ::-1] for name, p in plane.points.items()}
    names = (plane.names[1], plane.names[0])
    return Plane(names, (plane.ranges[1], plane.ranges[0]), to_inputs, points)


def neuron_grid(
    model: Model, dataset: Dataset, axes: tuple[int, int] | None = None,
    resolution: int = DEFAULT_RESOLUTION, extend: float = EXTEND,
) -> NeuronGrid:  # fmt: skip
    """The ``resolution``² grid over ``neuron_plane``'s training ranges, each side extended by
    ``extend`` of its width, as standardised network inputs (the model's scaler). Raises
    ValueError for a resolution out of bounds or a plane that cannot be drawn."""
    if not MIN_RESOLUTION <= resolution <= MAX_RESOLUTION:
        raise ValueError(f"resolution must be from {MIN_RESOLUTION} to {MAX_RESOLUTION}")
    plane = neuron_plane(model, dataset, axes)
    shown = tuple(extended_range(lo, hi, extend) for lo, hi in plane.ranges)
    x = cell_centres(*shown[0], resolution)
    y = cell_centres(*shown[1], resolution)
    points = np.column_stack([np.tile(x, len(y)), np.repeat(y, len(x))])
    raw = np.asarray(plane.to_inputs(points), dtype=np.float64)
    if raw.shape != (len(points), model.network.n_inputs):
        raise ValueError(f"the plane gives {raw.shape[1]} inputs, the network takes "
                         f"{model.network.n_inputs}")  # fmt: skip
    with np.errstate(all="ignore"):
        xs = model.x_scaler.transform(raw)
    return NeuronGrid(x, y, plane.names, (shown[0], shown[1]), xs)


def grid_activations(network: Network, grid: NeuronGrid) -> NeuronMaps:
    """Every layer's activations of ``network`` on ``grid``: one forward pass keeping them (in
    passes of rows small enough for its widest layer). Non-finite weights give NaN or inf
    values, never a warning or an error."""
    ny, nx = len(grid.y), len(grid.x)
    units = [layer.units for layer in network.layers]
    rows = max(1, PASS_VALUES // max(sum(units), 1))
    out = [np.empty((ny * nx, u)) for u in units]
    with np.errstate(all="ignore"):
        for start in range(0, len(grid.xs), rows):
            cache = network.forward(grid.xs[start : start + rows], keep=True)
            for keep, (_, a) in zip(out, cache, strict=True):
                keep[start : start + len(a)] = a
    layers = tuple(a.reshape(ny, nx, -1) for a in out)
    inputs = grid.xs.reshape(ny, nx, -1)
    return NeuronMaps(grid.x, grid.y, grid.names, grid.shown, inputs, layers)


def neuron_maps(
    model: Model, dataset: Dataset, axes: tuple[int, int] | None = None,
    resolution: int = DEFAULT_RESOLUTION, extend: float = EXTEND,
) -> NeuronMaps:  # fmt: skip
    """Every neuron's activation over a ``resolution``² grid of the plane (``neuron_plane``;
    ``axes`` are network input indices, default the first two numeric inputs, or x1 and x2
    of a Playground set), with the grid's axes and area. Raises ValueError when there is no
    plane to draw (fewer than two numeric inputs)."""
    return grid_activations(model.network, neuron_grid(model, dataset, axes, resolution, extend))


def activation_centre(activation: str, units: int = 1) -> float:
    """The midpoint of an activation's colour scale: 0.5 for sigmoid (a classifier's
    threshold), 1/units for softmax, 0 for the others."""
    if activation == "sigmoid":
        return 0.5
    if activation == "softmax":
        return 1.0 / max(units, 1)
    return 0.0


def diverging_strength(values: np.ndarray, centre: float = 0.0) -> np.ndarray:
    """(values − centre) / max |values − centre| over the finite values, in [-1, 1]: a map on a
    diverging scale of its own. ``values`` is one map (n_y, n_x), or one per unit (n_y, n_x,
    k), each scaled by its own maximum. A constant map gives 0, ±inf gives ±1, NaN stays NaN."""
    v = np.asarray(values, dtype=np.float64) - centre
    with np.errstate(all="ignore"):
        magnitude = np.where(np.isfinite(v), np.abs(v), 0.0)
        scale = magnitude.max(axis=(0, 1), keepdims=True) if v.size else np.zeros((1, 1))
        scaled = np.clip(v / np.where(scale > 0, scale, 1.0), -1.0, 1.0)
        out: np.ndarray = np.where(scale > 0, scaled, np.where(np.isfinite(v), 0.0, np.sign(v)))
    return out
