"""Layout maths of the network diagram: which neurons are drawn, where, and how each line looks.

Pure NumPy and plain Python, no Qt, so that every number the diagram shows can be tested on its
own. The diagram draws layer l (0 = the input) as column l; the weight matrix W[l] of shape
(fan_in, fan_out) joins column l to column l + 1, one line per drawn pair of neurons.

A column wider than ``limit`` neurons shows its first and last few and a "… N more" marker in
the slot between them; lines go to drawn neurons only. Line width and opacity encode |w|
relative to the largest finite |w| or |b| of the whole network, colour its sign; neuron fill
encodes the bias on that same scale, so that tiny biases beside large weights look pale.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Neurons drawn per column at most (the "… N more" marker takes one of these slots).
MAX_PER_COLUMN = 12
#: Line widths in pixels: the largest |w| gets MAX_WIDTH; no line is thinner than MIN_WIDTH.
MAX_WIDTH = 6.0
MIN_WIDTH = 0.6


@dataclass(frozen=True)
class Column:
    """One layer as drawn: its titles, size, the units drawn and where the elision marker sits.

    ``title`` is the full heading ("hidden 1 · 4 relu"), ``short`` the one for narrow columns
    ("h1 · 4").

    shown : ndarray of shape (k,), the indices of the drawn units, ascending. ``hidden`` units
    are not drawn; the marker then takes slot ``gap`` (slots run top to bottom, k + 1 of them),
    else ``gap`` is -1 and there are k slots.
    """

    title: str
    short: str
    units: int
    shown: np.ndarray
    hidden: int
    gap: int

    @property
    def slots(self) -> int:
        """Rows the column occupies: its drawn neurons plus the marker, if any."""
        return len(self.shown) + (1 if self.hidden else 0)

    def slot_of(self) -> np.ndarray:
        """The slot of every drawn neuron, shape (k,): neurons after the gap move down one."""
        slots = np.arange(len(self.shown))
        if self.hidden:
            slots[self.gap :] += 1
        return slots


@dataclass(frozen=True)
class Edges:
    """The drawn lines of one weight matrix W[l] (fan_in, fan_out), m lines.

    rows, cols : ndarray of shape (m,), the entry W[l][rows[k], cols[k]] each line shows.
    src, dst : ndarray of shape (m,), positions of its ends in the two columns' ``shown``.
    """

    rows: np.ndarray
    cols: np.ndarray
    src: np.ndarray
    dst: np.ndarray


@dataclass(frozen=True)
class Placement:
    """Where everything goes, in pixels (y down).

    xs : ndarray (n_columns,), the x of every column; ys : one ndarray (k,) per column, the y of
    each drawn neuron; gap_ys : the y of each column's marker (NaN without one); ``radius`` of
    the neurons; segments : one ndarray (m, 4) per weight matrix, the lines' x0, y0, x1, y1.
    """

    xs: np.ndarray
    ys: list[np.ndarray]
    gap_ys: np.ndarray
    radius: float
    segments: list[np.ndarray]


@dataclass(frozen=True)
class EdgeStyle:
    """How the lines of one weight matrix look, m lines.

    values : the weights shown (m,); strength : w / max|w| clipped to [-1, 1], NaN for a
    non-finite weight whose sign is unknown (NaN); widths (m,) in pixels; order : indices
    drawing the weakest lines first, so that strong lines are on top.
    """

    values: np.ndarray
    strength: np.ndarray
    widths: np.ndarray
    order: np.ndarray


def layer_title(layer: int, n_layers: int, units: int, activation: str = "") -> str:
    """The column heading: "input · 2", "hidden 1 · 4 relu", "output · 3 linear".

    ``layer`` counts from 0 (the input) to ``n_layers`` - 1 (the output).
    """
    if layer == 0:
        return f"input · {units}"
    role = "output" if layer == n_layers - 1 else f"hidden {layer}"
    return f"{role} · {units} {activation}".rstrip()


def short_title(layer: int, n_layers: int, units: int) -> str:
    """A heading for narrow columns: "in · 2", "h1 · 4", "out · 3"."""
    role = "in" if layer == 0 else "out" if layer == n_layers - 1 else f"h{layer}"
    return f"{role} · {units}"


def elide(units: int, limit: int = MAX_PER_COLUMN) -> tuple[np.ndarray, int]:
    """The units drawn of a column of ``units``, and the marker's slot (-1: none).

    Up to ``limit`` units all are drawn; above it the first ⌈(limit-1)/2⌉ and the last
    ⌊(limit-1)/2⌋, with the marker between them, so the column takes ``limit`` slots.
    """
    if units <= limit:
        return np.arange(units), -1
    head = limit // 2
    tail = limit - 1 - head
    return np.concatenate([np.arange(head), np.arange(units - tail, units)]), head


def build_columns(
    sizes: Sequence[int], activations: Sequence[str], limit: int = MAX_PER_COLUMN
) -> list[Column]:
    """One Column per layer: ``sizes`` include the input, ``activations`` one per later layer."""
    columns = []
    for layer, units in enumerate(sizes):
        shown, gap = elide(units, limit)
        activation = activations[layer - 1] if layer else ""
        title = layer_title(layer, len(sizes), units, activation)
        short = short_title(layer, len(sizes), units)
        columns.append(Column(title, short, int(units), shown, int(units - len(shown)), gap))
    return columns


def build_edges(columns: Sequence[Column]) -> list[Edges]:
    """The drawn lines between consecutive columns: every drawn pair, row-major."""
    edges = []
    for left, right in itertools.pairwise(columns):
        grid_src, grid_dst = np.meshgrid(
            np.arange(len(left.shown)), np.arange(len(right.shown)), indexing="ij"
        )
        src, dst = grid_src.ravel(), grid_dst.ravel()
        edges.append(Edges(left.shown[src], right.shown[dst], src, dst))
    return edges


def place(
    columns: Sequence[Column],
    edges: Sequence[Edges],
    box: tuple[float, float, float, float],
    max_spacing: float = 88.0,
) -> Placement:
    """Spread the columns over ``box`` = (left, top, right, bottom) in pixels.

    Columns are evenly spaced from left to right; every column uses the same slot height (that
    of the tallest column, at most ``max_spacing``) and is centred vertically.
    """
    left, top, right, bottom = box
    n = len(columns)
    xs = np.linspace(left, right, n) if n > 1 else np.array([(left + right) / 2])
    height = max(bottom - top, 1.0)
    spacing = min(height / max(c.slots for c in columns), max_spacing)
    step = (right - left) / (n - 1) if n > 1 else right - left
    radius = float(np.clip(min(spacing * 0.3, step * 0.12), 2.5, 16.0))
    mid = (top + bottom) / 2
    ys, gap_ys = [], np.full(n, np.nan)
    for k, column in enumerate(columns):
        y0 = mid - spacing * (column.slots - 1) / 2
        ys.append(y0 + spacing * column.slot_of())
        if column.hidden:
            gap_ys[k] = y0 + spacing * column.gap
    segments = []
    for k, e in enumerate(edges):
        segment = np.empty((len(e.src), 4))
        segment[:, 0], segment[:, 1] = xs[k], ys[k][e.src]
        segment[:, 2], segment[:, 3] = xs[k + 1], ys[k + 1][e.dst]
        segments.append(segment)
    return Placement(xs, ys, gap_ys, radius, segments)


def largest_magnitude(arrays: Sequence[np.ndarray]) -> float:
    """The largest finite |x| over all ``arrays`` (0 when there is none)."""
    best = 0.0
    for a in arrays:
        a = np.abs(np.asarray(a, dtype=np.float64))
        a = a[np.isfinite(a)]
        if a.size:
            best = max(best, float(a.max()))
    return best


def network_scale(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> float:
    """The diagram's one scale: the largest finite |w| or |b| of the network (0: none).

    Weights and biases share it, so that a fill and a line of the same depth mean the same
    magnitude: biases of 4e-05 beside weights of 1 are drawn pale, not in the deepest colour.
    """
    return max(largest_magnitude(weights), largest_magnitude(biases))


def signed_strength(values: np.ndarray, scale: float) -> np.ndarray:
    """values / scale clipped to [-1, 1] (±inf → ±1, NaN stays NaN; scale 0 → 0 for finite)."""
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(all="ignore"):
        if scale > 0:
            strength = np.clip(values / scale, -1.0, 1.0)
        else:
            strength = np.where(np.isfinite(values), 0.0, np.sign(values))
    return strength


def edge_styles(
    weights: Sequence[np.ndarray],
    edges: Sequence[Edges],
    max_width: float = MAX_WIDTH,
    min_width: float = MIN_WIDTH,
    scale: float | None = None,
) -> list[EdgeStyle]:
    """The look of every drawn line; |w| is scaled by ``scale`` (see ``network_scale``).

    weights : one ndarray (fan_in, fan_out) per layer. Without ``scale``, the largest finite
    |w| of all ``weights`` (drawn or not). A line's width is max(min_width,
    max_width·|w|/scale), at most max_width; NaN gets min_width.
    """
    if scale is None:
        scale = largest_magnitude(weights)
    styles = []
    for w, e in zip(weights, edges, strict=True):
        values = np.asarray(w, dtype=np.float64)[e.rows, e.cols]
        strength = signed_strength(values, scale)
        magnitude = np.nan_to_num(np.abs(strength), nan=0.0)
        widths = np.maximum(min_width, max_width * magnitude)
        styles.append(EdgeStyle(values, strength, widths, np.argsort(magnitude, kind="stable")))
    return styles


def bias_strengths(
    biases: Sequence[np.ndarray], columns: Sequence[Column], scale: float
) -> list[np.ndarray]:
    """b / scale in [-1, 1] for the drawn neurons of columns 1…: one ndarray (k,) per layer.

    ``scale`` is the one the lines use (``network_scale``), not the largest |b| alone.
    """
    return [
        signed_strength(np.asarray(b, dtype=np.float64)[c.shown], scale)
        for b, c in zip(biases, columns[1:], strict=True)
    ]


def touching(edges: Sequence[Edges], layer: int, unit: int) -> list[np.ndarray]:
    """Which drawn lines touch unit ``unit`` of column ``layer``: one bool mask (m,) per matrix.

    Incoming lines are in matrix layer - 1 (cols == unit), outgoing ones in matrix layer.
    """
    masks = [np.zeros(len(e.rows), dtype=bool) for e in edges]
    if layer >= 1:
        masks[layer - 1] = edges[layer - 1].cols == unit
    if layer < len(edges):
        masks[layer] = edges[layer].rows == unit
    return masks


def neuron_at(
    point: tuple[float, float], placement: Placement, slack: float = 2.0
) -> tuple[int, int] | None:
    """(column, position in its ``shown``) of the drawn neuron under ``point``, or None."""
    x, y = point
    reach = placement.radius + slack
    for k, column_x in enumerate(placement.xs):
        if abs(x - column_x) <= reach:
            d = np.abs(placement.ys[k] - y)
            if d.size and d.min() <= reach:
                return k, int(d.argmin())
    return None


def marker_at(point: tuple[float, float], placement: Placement, half_width: float) -> int | None:
    """The column whose "… N more" marker is under ``point`` (marker ``half_width`` wide)."""
    x, y = point
    half_height = max(placement.radius, 6.0)
    for k, (column_x, gap_y) in enumerate(zip(placement.xs, placement.gap_ys, strict=True)):
        if np.isfinite(gap_y) and abs(x - column_x) <= half_width and abs(y - gap_y) <= half_height:
            return k
    return None


def segment_at(
    point: tuple[float, float], segments: Sequence[np.ndarray], tolerance: float = 4.0
) -> tuple[int, int] | None:
    """(matrix, line) of the drawn line nearest ``point`` within ``tolerance`` pixels, or None."""
    px, py = point
    best, found = tolerance, None
    for layer, s in enumerate(segments):
        if not len(s):
            continue
        dx, dy = s[:, 2] - s[:, 0], s[:, 3] - s[:, 1]
        length2 = np.maximum(dx * dx + dy * dy, 1e-12)
        t = np.clip(((px - s[:, 0]) * dx + (py - s[:, 1]) * dy) / length2, 0.0, 1.0)
        distance = np.hypot(s[:, 0] + t * dx - px, s[:, 1] + t * dy - py)
        k = int(distance.argmin())
        if distance[k] <= best:
            best, found = float(distance[k]), (layer, k)
    return found


def format_number(v: float) -> str:
    """A weight or bias for people: four significant digits ("-0.5", "0.1235", "1.235e+04")."""
    return f"{v:.4g}"


@dataclass(frozen=True)
class Structure:
    """What the diagram draws of one architecture: columns, lines, activations and names.

    Everything here depends on the layer sizes, activations and names only, not on the
    weights, so it is built once per architecture; it also words the texts people read.
    """

    columns: list[Column]
    edges: list[Edges]
    activations: tuple[str, ...]
    input_names: tuple[str, ...]
    output_names: tuple[str, ...]

    @classmethod
    def build(
        cls,
        sizes: Sequence[int],
        activations: Sequence[str],
        input_names: Sequence[str] = (),
        output_names: Sequence[str] = (),
        limit: int = MAX_PER_COLUMN,
    ) -> Structure:
        """The structure of a network of layer ``sizes`` (input first) and ``activations``."""
        columns = build_columns(sizes, activations, limit)
        return cls(
            columns, build_edges(columns), tuple(activations),
            tuple(input_names), tuple(output_names),
        )  # fmt: skip

    @property
    def key(self) -> tuple:
        """(sizes, activations, input names, output names): equal keys, equal structures."""
        sizes = tuple(c.units for c in self.columns)
        return sizes, self.activations, self.input_names, self.output_names

    def edge_index(self, matrix: int, i: int, j: int) -> int:
        """The line of W[matrix][i, j] in ``edges[matrix]``; KeyError if it is not drawn."""
        left, right = self.columns[matrix].shown, self.columns[matrix + 1].shown
        if i not in left or j not in right:
            raise KeyError(f"W{matrix + 1}[{i}, {j}] is not drawn")
        return int(np.searchsorted(left, i) * len(right) + np.searchsorted(right, j))

    def position(self, layer: int, unit: int) -> int:
        """Where unit ``unit`` is among column ``layer``'s drawn units; KeyError if not drawn."""
        found = np.flatnonzero(self.columns[layer].shown == unit)
        if not len(found):
            raise KeyError(f"unit {unit} of layer {layer} is not drawn")
        return int(found[0])

    def neuron_name(self, layer: int, unit: int) -> str:
        """ "a" for inputs, "a+b" for outputs (by their names), "hidden 1 #3" otherwise."""
        last = len(self.columns) - 1
        names = self.input_names if layer == 0 else self.output_names if layer == last else ()
        if unit < len(names):
            return names[unit]
        role = "input" if layer == 0 else "output" if layer == last else f"hidden {layer}"
        return f"{role} #{unit + 1}"

    def edge_text(self, matrix: int, line: int, value: float) -> str:
        """ "W1 from b to hidden 1 #1 = -0.5" for line ``line`` of W[matrix] (value w)."""
        e = self.edges[matrix]
        frm = self.neuron_name(matrix, int(e.rows[line]))
        to = self.neuron_name(matrix + 1, int(e.cols[line]))
        return f"W{matrix + 1} from {frm} to {to} = {format_number(value)}"

    def neuron_text(self, layer: int, unit: int, bias: float) -> str:
        """A neuron's name, layer, activation and bias (inputs have no bias)."""
        name = self.neuron_name(layer, unit)
        last = len(self.columns) - 1
        if layer in (0, last) and not name.startswith(("input", "output")):
            name = f"{'input' if layer == 0 else 'output'} {name}"  # "input a", "output a+b"
        if layer == 0:
            return f"{name} (layer 0): the standardised input, no bias"
        activation = self.activations[layer - 1]
        return f"{name} (layer {layer}, {activation}): bias = {format_number(bias)}"

    def header_text(self, layer: int) -> str:
        """A column's full heading, with how many of its units are drawn when not all."""
        c = self.columns[layer]
        return c.title + (f" ({len(c.shown)} of {c.units} units drawn)" if c.hidden else "")

    def marker_text(self, layer: int) -> str:
        """What a column's "… N more" marker stands for (1-based unit numbers)."""
        c = self.columns[layer]
        first, last = c.shown[c.gap - 1] + 2, c.shown[c.gap]
        return f"{c.title}: {c.hidden} more units not drawn (#{first} to #{last})"

    def selection_text(self, layer: int, unit: int) -> str:
        """What selecting a neuron highlights: how many of its lines in and out are drawn."""
        masks = touching(self.edges, layer, unit)
        parts = []
        if layer:
            parts.append(
                f"{int(masks[layer - 1].sum())} of {self.columns[layer - 1].units} incoming"
            )
        if layer < len(self.edges):
            parts.append(f"{int(masks[layer].sum())} of {self.columns[layer + 1].units} outgoing")
        return (
            f"{self.neuron_name(layer, unit)} selected: {' and '.join(parts)} weights "
            "highlighted. Click it again or on empty space to clear."
        )
