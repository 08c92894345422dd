"""Decision maps: a classifier's class probabilities over a plane of its inputs.

The plane is what the user sees the points in. For a Playground set it is the points' own
plane (x1, x2), whatever features the network takes: every grid point's features (x1², sin x1
…) are computed from it as the set computes them, so the map is the network's true boundary.
For other data it is two numeric inputs, the others held (by default at their training
medians, as the response map holds them). ``decision_grid`` evaluates the model on an
``n × n`` grid of the plane:

    probabilities[j, i, c] = p(class c | plane point (x_i, y_j))

``predicted`` is the most probable class (ties to the lower index, as argmax) and
``confidence`` its probability. ``plane_points`` gives each split's rows in the plane with
their true and predicted class, to draw over the map.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nngui.core.classification import Classes
from nngui.core.data import Dataset
from nngui.core.error_map import Range, cell_centres, extended_range, predict_in_passes
from nngui.core.model import Model
from nngui.core.playground import playground_points
from nngui.core.playground_source import PlaygroundSpec, feature_matrix
from nngui.core.response_map import numeric_inputs, training_medians

#: Grid points per side of a decision map by default, and its bounds.
DEFAULT_RESOLUTION = 80
MIN_RESOLUTION, MAX_RESOLUTION = 4, 400
#: The splits of a data set, as Dataset names them.
SPLITS = ("train", "val", "test")


@dataclass(frozen=True)
class Plane:
    """Where a decision map is drawn: two named axes and how their points become inputs.

    names : the axes' names; ranges : their training ranges; to_inputs : plane points
    (n, 2) → raw network inputs (n, n_inputs); points : per split name, that split's rows in
    the plane (n, 2), in the split's order.
    """

    names: tuple[str, str]
    ranges: tuple[Range, Range]
    to_inputs: Callable[[np.ndarray], np.ndarray]
    points: dict[str, np.ndarray]


def is_classifier(model: Model) -> bool:
    """Whether ``model`` classifies (a decision map can be drawn for it)."""
    return model.task == "classification" and len(model.classes) >= 2


def shuffled_playground_points(spec: PlaygroundSpec) -> np.ndarray:
    """The points (n, 2) of a Playground set in the order its splits take them."""
    points, _ = playground_points(spec.dataset, spec.points, spec.noise, spec.seed)
    order = np.random.RandomState(spec.seed).permutation(len(points))
    shuffled: np.ndarray = points[order]
    return shuffled


def playground_plane(dataset: Dataset) -> Plane:
    """The (x1, x2) plane of a Playground set: features computed from each point."""
    spec = dataset.spec
    if not isinstance(spec, PlaygroundSpec):
        raise ValueError("a Playground plane needs a Playground set")
    points = shuffled_playground_points(spec)
    train = points[: len(dataset.train)]
    at = len(dataset.train) + (len(dataset.val) if dataset.val is not None else 0)
    parts = {"train": train, "test": points[at:]}
    if dataset.val is not None:
        parts["val"] = points[len(dataset.train) : at]
    lo, hi = train.min(axis=0), train.max(axis=0)
    ranges = ((float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1])))
    features = spec.features
    return Plane(("x1", "x2"), ranges, lambda p: feature_matrix(p, features), parts)


def input_plane(
    model: Model, dataset: Dataset, axes: tuple[int, int], held: np.ndarray | None = None
) -> Plane:
    """The plane of two numeric network inputs ``axes``, the others held at ``held`` (the
    training medians by default); raises ValueError for axes that cannot be drawn."""
    if len(set(axes)) != 2 or not all(a in numeric_inputs(model) for a in axes):
        raise ValueError("a decision map needs two different numeric inputs as axes")
    base = training_medians(dataset) if held is None else np.asarray(held, dtype=np.float64)
    if base.shape != (model.network.n_inputs,):
        raise ValueError(f"held values for {model.network.n_inputs} inputs expected")
    a, b = axes

    def to_inputs(p: np.ndarray) -> np.ndarray:
        inputs = np.tile(base, (len(p), 1))
        inputs[:, a], inputs[:, b] = p[:, 0], p[:, 1]
        return inputs

    parts = {
        name: split.x[:, [a, b]] for name in SPLITS if (split := getattr(dataset, name)) is not None
    }
    x = dataset.train.x
    ranges = tuple((float(x[:, i].min()), float(x[:, i].max())) for i in axes)
    names = (model.input_names[a], model.input_names[b])
    return Plane(names, (ranges[0], ranges[1]), to_inputs, parts)


def default_plane(model: Model, dataset: Dataset) -> Plane:
    """The plane a decision map starts on: a Playground set's own, else the first two
    numeric inputs (raises ValueError with fewer than two)."""
    if isinstance(dataset.spec, PlaygroundSpec):
        return playground_plane(dataset)
    numeric = numeric_inputs(model)
    if len(numeric) < 2:
        raise ValueError("a decision map needs two numeric inputs")
    return input_plane(model, dataset, (numeric[0], numeric[1]))


def class_probabilities(model: Model, inputs: np.ndarray) -> np.ndarray:
    """(n, K) class probabilities of raw ``inputs`` (NaN where the weights are not finite)."""
    with np.errstate(all="ignore"):
        outputs = predict_in_passes(model, inputs)
    return Classes(model.classes).class_probabilities(outputs)


@dataclass(frozen=True)
class DecisionGrid:
    """A classifier's probabilities on a grid of a plane (see the module docstring).

    x : (n_x,), y : (n_y,) cell centres; probabilities : (n_y, n_x, K); shown : the
    (possibly extended) area the grid tiles.
    """

    x: np.ndarray
    y: np.ndarray
    probabilities: np.ndarray
    shown: tuple[Range, Range]

    @property
    def predicted(self) -> np.ndarray:
        """(n_y, n_x) index of the most probable class (-1 where it is not known)."""
        p = self.probabilities
        known = np.isfinite(p).all(axis=2)
        out: np.ndarray = np.where(known, np.argmax(np.nan_to_num(p, nan=-1.0), axis=2), -1)
        return out

    @property
    def confidence(self) -> np.ndarray:
        """(n_y, n_x) probability of the most probable class (NaN where it is not known)."""
        p = self.probabilities
        known = np.isfinite(p).all(axis=2)
        out: np.ndarray = np.where(known, np.nanmax(np.where(known[..., None], p, 0.0), 2), np.nan)
        return out

    @property
    def rect(self) -> tuple[float, float, float, float]:
        """(x, y, width, height) of the shown area: where to draw the map's image."""
        (x_lo, x_hi), (y_lo, y_hi) = self.shown
        return x_lo, y_lo, x_hi - x_lo, y_hi - y_lo


def decision_grid(
    model: Model, plane: Plane, resolution: int = DEFAULT_RESOLUTION, extend: float = 0.1
) -> DecisionGrid:
    """``model``'s class probabilities on a ``resolution``² grid over ``plane``'s training
    ranges, each side extended by ``extend`` of its width; raises ValueError for a model
    that does not classify or a resolution out of bounds."""
    if not is_classifier(model):
        raise ValueError("a decision map is drawn for a classifier")
    if not MIN_RESOLUTION <= resolution <= MAX_RESOLUTION:
        raise ValueError(f"resolution must be from {MIN_RESOLUTION} to {MAX_RESOLUTION}")
    shown = tuple(extended_range(lo, hi, extend) for lo, hi in plane.ranges)
    x = cell_centres(*shown[0], resolution)
    y = cell_centres(*shown[1], resolution)
    points = np.column_stack([np.tile(x, len(y)), np.repeat(y, len(x))])
    p = class_probabilities(model, plane.to_inputs(points))
    return DecisionGrid(x, y, p.reshape(len(y), len(x), -1), (shown[0], shown[1]))


@dataclass(frozen=True)
class PointClasses:
    """A split's rows in a plane with their true and predicted classes (-1: not known)."""

    points: np.ndarray
    true: np.ndarray
    predicted: np.ndarray

    @property
    def wrong(self) -> np.ndarray:
        """Which rows the classifier gets wrong (or cannot tell)."""
        out: np.ndarray = self.true != self.predicted
        return out


def point_classes(model: Model, dataset: Dataset, plane: Plane, split: str) -> PointClasses:
    """The rows of ``split`` ("train", "val" or "test") in ``plane``, with their classes."""
    part = getattr(dataset, split)
    if part is None or split not in plane.points:
        empty = np.zeros(0, dtype=np.int64)
        return PointClasses(np.zeros((0, 2)), empty, empty)
    classes = Classes(model.classes)
    y = part.y
    true = y[:, 0].astype(np.int64) if classes.k == 2 else np.argmax(y, axis=1)
    p = class_probabilities(model, part.x)
    known = np.isfinite(p).all(axis=1)
    predicted = np.where(known, np.argmax(np.nan_to_num(p, nan=-1.0), axis=1), -1)
    return PointClasses(plane.points[split], true, predicted)
