"""The network diagram widget: every neuron and every weight, painted.

Layers are columns (input, hidden layers, output); a weight is a line coloured by its sign
(blue positive, orange negative: safe for colour-blind readers) and as wide as its magnitude
relative to the largest |w| or |b| in the network; a neuron's fill shows its bias on the same
scale, so a fill as deep as the widest line means a bias as large as that weight.
Hovering a neuron or a line shows its value (a tooltip and the ``hovered`` signal); clicking a
neuron highlights its incoming and outgoing weights.

With neuron maps (``set_maps``, from ``core.neuron_maps``) every drawn neuron is a square
thumbnail of its activation over the input plane instead of a bias-filled circle: one diverging
map in the sign colours (blue above the activation's midpoint — 0, or 0.5 for sigmoid — orange
below, the background colour at it), each neuron scaled by its own largest |activation −
midpoint| on the grid; grey where the value is not finite. Hovering a neuron then also draws its
map four times bigger beside it, with its name and the map's min and max.

The geometry, elision of wide layers and styles come from ``diagram_layout`` (pure NumPy); this
module only paints them. A new snapshot with the same layer sizes only restyles the lines, so
live training at a few updates a second costs well under a millisecond plus one repaint.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from nngui.core.network import Network
from nngui.core.neuron_maps import NeuronMaps, activation_centre, diverging_strength
from nngui.gui.views import diagram_layout as dl

EMPTY_MESSAGE = "No network to show yet: build one in the layer builder or open a model."
PAD = 8.0
#: (positive, negative) colours: Okabe-Ito blue and vermillion on light backgrounds, sky blue
#: and orange on dark ones.
LIGHT_SIGNS = ("#0072B2", "#D55E00")
DARK_SIGNS = ("#56B4E9", "#E69F00")
NAN_COLOUR = "#9a9a9a"
#: How far (0-1) from the background towards its sign colour a line a selection does not
#: highlight is drawn. Lines are opaque, pre-blended with the background: antialiased
#: translucent lines cost several times more to paint.
DIMMED_OPACITY = 0.12
#: The hovered neuron's enlarged map: this many times its thumbnail, within these pixels.
ENLARGE = 4.0
ENLARGED_SIDE = (96.0, 176.0)

#: ("neuron", column, unit) | ("edge", matrix, line index) | ("marker" | "header", column, 0)
Target = tuple[str, int, int]


@dataclass(frozen=True)
class Colours:
    """The diagram's colours for one palette."""

    positive: QColor
    negative: QColor
    nan: QColor
    base: QColor
    text: QColor
    quiet: QColor
    highlight: QColor
    input_fill: QColor

    @classmethod
    def from_palette(cls, palette: QPalette) -> Colours:
        """Sign colours that read on ``palette``'s background, and its own text colours."""
        role = QPalette.ColorRole
        base = palette.color(role.Base)
        positive, negative = DARK_SIGNS if base.lightness() < 128 else LIGHT_SIGNS
        return cls(
            QColor(positive), QColor(negative), QColor(NAN_COLOUR), base,
            palette.color(role.Text), palette.color(role.PlaceholderText),
            palette.color(role.Highlight), palette.color(role.AlternateBase),
        )  # fmt: skip

    def sign(self, strength: float) -> QColor:
        """The colour of a signed strength in [-1, 1] (NaN: grey)."""
        if np.isnan(strength):
            return QColor(self.nan)
        return QColor(self.negative if strength < 0 else self.positive)


@dataclass(frozen=True)
class Enlarged:
    """The hovered neuron's enlarged map as drawn: which neuron, where (``card``: the whole
    box, ``image``: the map in it, both in pixels), its title and its value range's text."""

    layer: int
    unit: int
    card: QRectF
    image: QRectF
    title: str
    range_text: str


def map_rgba(strength: np.ndarray, colours: Colours) -> np.ndarray:
    """The (n_y, n_x, 4) RGBA image of a map on the diverging scale ``strength`` (n_y, n_x)
    in [-1, 1] (or (n_y, n_x, k, 4) for k maps (n_y, n_x, k)): the background colour blended
    towards the sign colour by |strength|, grey for NaN. Row 0 of an image is the *top* (the
    largest y: rows are flipped)."""
    s = np.flipud(np.asarray(strength, dtype=np.float64))

    def rgb(c: QColor) -> np.ndarray:
        return np.array([c.red(), c.green(), c.blue()], dtype=np.float64)

    base = rgb(colours.base)
    known = np.isfinite(s)
    t = np.where(known, np.abs(np.nan_to_num(s)), 0.0)[..., None]
    sign = np.where((s < 0)[..., None], rgb(colours.negative), rgb(colours.positive))
    colour = base + (sign - base) * t
    colour[~known] = rgb(colours.nan)
    image = np.empty((*s.shape, 4), dtype=np.uint8)
    image[..., :3] = np.rint(colour)
    image[..., 3] = 255
    return image


def to_qimage(rgba: np.ndarray) -> QImage:
    """A QImage (its own copy) of an (h, w, 4) uint8 RGBA array."""
    data = np.ascontiguousarray(rgba, dtype=np.uint8)
    h, w = data.shape[:2]
    return QImage(data.tobytes(), w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()


def blend(a: QColor, b: QColor, t: float) -> QColor:
    """The colour a·(1 − t) + b·t."""
    t = float(np.clip(t, 0.0, 1.0))
    rgb_a, rgb_b = (a.red(), a.green(), a.blue()), (b.red(), b.green(), b.blue())
    mix = [round(x + (y - x) * t) for x, y in zip(rgb_a, rgb_b, strict=True)]
    return QColor(*mix)


class NetworkDiagram(QWidget):
    """The painted diagram of one network; hover and click it to read and highlight weights."""

    #: Text describing what the mouse is over ("" when nothing).
    hovered = Signal(str)
    #: The selected neuron changed (or was cleared).
    selection_changed = Signal()

    def __init__(self, max_per_column: int = dl.MAX_PER_COLUMN, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self.setMinimumSize(240, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.limit = max_per_column
        self._structure: dl.Structure | None = None
        self._placement: dl.Placement | None = None
        self._headers: list[list[str]] = []
        self._header_bottom = 0.0
        self._styles: list[dl.EdgeStyle] = []
        self._bias_strength: list[np.ndarray] = []
        self._biases: list[np.ndarray] = []
        self._selected: tuple[int, int] | None = None
        self._masks: list[np.ndarray] | None = None
        self._hover: Target | None = None
        self._lines: list[tuple[list[QLineF], list[QPen], np.ndarray]] | None = None
        self._maps: NeuronMaps | None = None
        self._images: dict[tuple[int, int], tuple[np.ndarray, QImage]] = {}

    # ----- content ------------------------------------------------------------------------
    def set_network(
        self, net: Network | None, input_names: tuple[str, ...], output_names: tuple[str, ...]
    ) -> None:
        """Draw ``net``; with the same layer sizes, activations and names only restyle."""
        if net is None:
            self._structure, self._placement, self._hover = None, None, None
            self._maps, self._images = None, {}
            self._set_selection(None)
        else:
            activations = tuple(layer.activation for layer in net.layers)
            key = (tuple(net.sizes), activations, input_names, output_names)
            if self._structure is None or key != self._structure.key:
                self._rebuild(dl.Structure.build(*key, limit=self.limit))
            self._restyle(net)
        self._invalidate()

    def _rebuild(self, structure: dl.Structure) -> None:
        self._structure, self._hover = structure, None
        self._relayout()
        if self._selected is not None and not self._is_drawn(*self._selected):
            self._set_selection(None)
        elif self._selected is not None:
            self._masks = dl.touching(structure.edges, *self._selected)

    def _restyle(self, net: Network) -> None:
        s = self._structure
        assert s is not None  # restyled only after a build
        with np.errstate(all="ignore"):
            self._biases = [np.asarray(b, dtype=np.float64) for b in net.biases]
            scale = dl.network_scale(net.weights, self._biases)
            self._styles = dl.edge_styles(net.weights, s.edges, scale=scale)
            self._bias_strength = dl.bias_strengths(self._biases, s.columns, scale)

    def _is_drawn(self, layer: int, unit: int) -> bool:
        assert self._structure is not None  # asked while rebuilding
        columns = self._structure.columns
        return layer < len(columns) and unit in columns[layer].shown

    # ----- neuron maps --------------------------------------------------------------------
    def set_maps(self, maps: NeuronMaps | None) -> None:
        """Draw every neuron as its map in ``maps`` (None: as bias-filled circles again). Maps
        of another architecture than the one drawn are ignored."""
        self._maps, self._images = maps, {}
        self.update()

    def maps_shown(self) -> bool:
        """Whether neurons are drawn as their maps now."""
        s, maps = self._structure, self._maps
        if s is None or maps is None:
            return False
        sizes = [maps.inputs.shape[2], *(a.shape[2] for a in maps.layers)]
        return sizes == [c.units for c in s.columns]

    def neuron_map(self, layer: int, unit: int) -> np.ndarray | None:
        """The activation map (n_y, n_x; row 0 the lowest y) a neuron is drawn with, or None."""
        return self._maps.neuron(layer, unit) if self.maps_shown() and self._maps else None

    def thumbnail(self, layer: int, unit: int) -> np.ndarray | None:
        """The RGBA image (n_y, n_x, 4; row 0 the top) of a drawn neuron's map, or None
        without maps."""
        found = self._thumbnail(layer, unit)
        return None if found is None else found[0]

    def _thumbnail(self, layer: int, unit: int) -> tuple[np.ndarray, QImage] | None:
        if self.neuron_map(layer, unit) is None:
            return None
        if (layer, unit) not in self._images:
            self._colour_column(layer)
        return self._images.get((layer, unit))

    def _colour_column(self, layer: int) -> None:
        """The images of every drawn neuron of column ``layer``, coloured in one pass."""
        s, maps = self._structure, self._maps
        assert s is not None and maps is not None  # maps are shown only over a network
        shown = s.columns[layer].shown
        centre = 0.0  # the inputs: standardised, centred on 0
        if layer:
            centre = activation_centre(s.activations[layer - 1], s.columns[layer].units)
        strength = diverging_strength(maps.column(layer)[:, :, shown], centre)
        rgba = map_rgba(strength, Colours.from_palette(self.palette()))  # (n_y, n_x, k, 4)
        for k, unit in enumerate(shown.tolist()):
            image = np.ascontiguousarray(rgba[:, :, k])
            self._images[(layer, unit)] = (image, to_qimage(image))

    def enlarged(self) -> Enlarged | None:
        """The hovered neuron's enlarged map as drawn, or None (no neuron hovered, no maps)."""
        hover, p, s = self._hover, self._placement, self._structure
        if hover is None or hover[0] != "neuron" or p is None or s is None:
            return None
        _, layer, unit = hover
        if self._maps is None or self.neuron_map(layer, unit) is None:
            return None
        fm = QFontMetrics(self.font())
        side = float(np.clip(ENLARGE * 2 * p.radius, *ENLARGED_SIDE))
        name, last = s.neuron_name(layer, unit), len(s.columns) - 1
        if layer in (0, last) and not name.startswith(("input", "output")):
            name = f"{'input' if layer == 0 else 'output'} {name}"  # "input x1", "output label"
        title = name if layer == 0 else f"{name} ({s.activations[layer - 1]})"
        lo, hi = self._maps.value_range(layer, unit)
        range_text = f"min {dl.format_number(lo)} · max {dl.format_number(hi)}"
        across, up = self._maps.names
        axes_text = f"{across} across, {up} up"
        text_width = max(fm.horizontalAdvance(t) for t in (title, range_text, axes_text))
        width = max(side, text_width) + 2 * PAD
        height = side + 3 * fm.lineSpacing() + 2 * PAD
        centre = QPointF(p.xs[layer], p.ys[layer][s.position(layer, unit)])
        gap = p.radius + PAD
        left = centre.x() + gap
        if left + width > self.width() - 2:  # no room on the right: on the left
            left = max(2.0, centre.x() - gap - width)
        top = float(np.clip(centre.y() - height / 2, 2.0, max(2.0, self.height() - height - 2)))
        card = QRectF(left, top, width, height)
        image = QRectF(left + (width - side) / 2, top + PAD + fm.lineSpacing(), side, side)
        return Enlarged(layer, unit, card, image, title, f"{range_text}\n{axes_text}")

    # ----- geometry -----------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._relayout()

    def _relayout(self) -> None:
        """Fit the columns, names and headings to the widget's size."""
        if self._structure is None:
            return
        fm = QFontMetrics(self.font())
        s = self._structure
        columns, ins, outs = s.columns, s.input_names, s.output_names
        n = len(columns)
        side = PAD + 18.0
        left = max([fm.horizontalAdvance(name) for name in ins] + [0]) + side
        right = max([fm.horizontalAdvance(name) for name in outs] + [0]) + side
        title_half = [fm.horizontalAdvance(c.title) / 2 + PAD for c in columns]
        left, right = max(left, min(title_half[0], 90)), max(right, min(title_half[-1], 90))
        step = (self.width() - left - right) / max(n - 1, 1)
        self._headers = [self._header_lines(c, step - 2 * PAD, fm) for c in columns]
        lines = max(len(h) for h in self._headers)
        self._header_bottom = PAD + lines * fm.lineSpacing()
        top = self._header_bottom + PAD
        box = (left, top + 4, self.width() - right, self.height() - PAD - 4)
        self._placement = dl.place(columns, s.edges, box)
        self._lines = None

    @staticmethod
    def _header_lines(column: dl.Column, width: float, fm: QFontMetrics) -> list[str]:
        """The heading on one line if it fits, else on two, else the short one (elided)."""
        candidates = ([column.title], column.title.split(" · "), column.short.split(" · "))
        for lines in candidates:
            if all(fm.horizontalAdvance(line) <= width for line in lines):
                return lines
        mode = Qt.TextElideMode.ElideRight
        return [fm.elidedText(line, mode, max(int(width), 16)) for line in candidates[-1]]

    # ----- what is where ------------------------------------------------------------------
    def neuron_point(self, layer: int, unit: int) -> QPoint:
        """The centre of unit ``unit`` of column ``layer`` (it must be drawn), in pixels."""
        p, s = self._placement, self._structure
        assert p is not None and s is not None  # a drawn neuron: there is a network
        return QPointF(p.xs[layer], p.ys[layer][s.position(layer, unit)]).toPoint()

    def edge_point(self, matrix: int, i: int, j: int, t: float = 0.25) -> QPoint:
        """A point on the line of W[matrix][i, j], a fraction ``t`` of the way along it."""
        p, s = self._placement, self._structure
        assert p is not None and s is not None  # a drawn line: there is a network
        k = s.edge_index(matrix, i, j)
        x0, y0, x1, y1 = p.segments[matrix][k]
        return QPointF(x0 + t * (x1 - x0), y0 + t * (y1 - y0)).toPoint()

    def target_at(self, pos: QPoint | QPointF) -> Target | None:
        """What is under ``pos``: a heading, a neuron, an elision marker, or the nearest line."""
        if self._placement is None:
            return None
        point = (float(pos.x()), float(pos.y()))
        if point[1] <= self._header_bottom:
            return ("header", int(np.abs(self._placement.xs - point[0]).argmin()), 0)
        hit = dl.neuron_at(point, self._placement)
        if hit is not None:
            assert self._structure is not None  # placed together with the placement
            return ("neuron", hit[0], int(self._structure.columns[hit[0]].shown[hit[1]]))
        half_width = QFontMetrics(self.font()).horizontalAdvance("… 9999 more") / 2 + 4
        marker = dl.marker_at(point, self._placement, half_width)
        if marker is not None:
            return ("marker", marker, 0)
        edge = dl.segment_at(point, self._placement.segments)
        return None if edge is None else ("edge", *edge)

    def describe_target(self, target: Target | None) -> str:
        """The hover text of ``target`` (see ``target_at``); "" for None."""
        s = self._structure
        if target is None or s is None:
            return ""
        kind, a, b = target
        if kind == "edge":
            return s.edge_text(a, b, self._styles[a].values[b])
        if kind == "header":
            return s.header_text(a)
        if kind == "marker":
            return s.marker_text(a)
        return s.neuron_text(a, b, self._biases[a - 1][b] if a else np.nan)

    def structure(self) -> dl.Structure | None:
        """What is drawn: columns, lines and names (None when empty)."""
        return self._structure

    def selection_text(self) -> str:
        """What the highlight shows ("" without a selected neuron)."""
        if self._selected is None:
            return ""
        assert self._structure is not None  # only a drawn neuron is selected
        return self._structure.selection_text(*self._selected)

    def message(self) -> str:
        """Why the diagram is empty ("" when it shows a network)."""
        return EMPTY_MESSAGE if self._placement is None else ""

    def titles(self) -> list[str]:
        """The column headings, input first."""
        return [] if self._structure is None else [c.title for c in self._structure.columns]

    def markers(self) -> list[str]:
        """The elision marker of each column ("" where every unit is drawn)."""
        columns = [] if self._structure is None else self._structure.columns
        return [f"… {c.hidden} more" if c.hidden else "" for c in columns]

    # ----- selection ----------------------------------------------------------------------
    def selected(self) -> tuple[int, int] | None:
        """(column, unit) of the selected neuron, or None."""
        return self._selected

    def select(self, layer: int, unit: int) -> None:
        """Highlight the weights into and out of a drawn neuron (select it again: clear)."""
        self._set_selection(None if self._selected == (layer, unit) else (layer, unit))

    def clear_selection(self) -> None:
        """Show every line at full strength again."""
        self._set_selection(None)

    def highlighted(self) -> set[tuple[int, int, int]]:
        """(matrix, i, j) of every highlighted line (empty without a selection)."""
        if self._masks is None:
            return set()
        assert self._structure is not None  # masks are of a selection: of a drawn neuron
        found = set()
        for m, (mask, e) in enumerate(zip(self._masks, self._structure.edges, strict=True)):
            found |= {(m, int(i), int(j)) for i, j in zip(e.rows[mask], e.cols[mask], strict=True)}
        return found

    def _set_selection(self, selected: tuple[int, int] | None) -> None:
        self._selected = selected
        if selected is None:
            self._masks = None
        else:
            assert self._structure is not None  # only a drawn neuron is selected
            self._masks = dl.touching(self._structure.edges, *selected)
        self.selection_changed.emit()
        self._invalidate()

    # ----- mouse --------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        target = self.target_at(event.position())
        if target is not None and target[0] == "neuron":
            self.select(target[1], target[2])
        else:
            self.clear_selection()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        self._set_hover(self.target_at(event.position()))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        self._set_hover(None)
        super().leaveEvent(event)

    def _set_hover(self, target: Target | None) -> None:
        if target != self._hover:
            self._hover = target
            self.hovered.emit(self.describe_target(target))
            self.update()

    def hover_text(self) -> str:
        """The text of what the mouse is over now ("" when nothing)."""
        return self.describe_target(self._hover)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            target = self.target_at(event.pos())
            text = self.describe_target(target)
            if target is not None and target[0] == "neuron" and self.enlarged() is not None:
                QToolTip.hideText()  # the enlarged map's card says it, and is not covered
                return True
            if text:
                QToolTip.showText(event.globalPos(), text, self)
                return True
        return super().event(event)

    # ----- styles -------------------------------------------------------------------------
    def edge_pen(self, matrix: int, i: int, j: int) -> QPen:
        """The pen of the line of W[matrix][i, j] as drawn now (dimmed if not highlighted)."""
        assert self._structure is not None  # a drawn line: there is a network
        return self._drawing()[matrix][1][self._structure.edge_index(matrix, i, j)]

    def _pen(self, colours: Colours, matrix: int, k: int, dimmed: bool) -> QPen:
        """Sign colour faded towards the background for weak (and dimmed) lines; width |w|."""
        style = self._styles[matrix]
        s = float(style.strength[k])
        # weak lines fade, so that the strong ones stand out
        opacity = 0.35 + 0.65 * abs(s) if np.isfinite(s) else 0.8
        if dimmed:
            opacity = DIMMED_OPACITY
        pen = QPen(blend(colours.base, colours.sign(s), opacity), float(style.widths[k]))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)  # round caps cost more and hide under neurons
        if np.isnan(s):
            pen.setStyle(Qt.PenStyle.DashLine)
        return pen

    def _drawing(self) -> list[tuple[list[QLineF], list[QPen], np.ndarray]]:
        """Per weight matrix: the lines, their pens and the drawing order (cached)."""
        if self._lines is None:
            assert self._placement is not None  # drawn only when there is a network
            colours = Colours.from_palette(self.palette())
            self._lines = []
            for m, (segments, style) in enumerate(
                zip(self._placement.segments, self._styles, strict=True)
            ):
                mask = None if self._masks is None else self._masks[m]
                order = style.order
                if mask is not None:  # dimmed lines first, highlighted ones on top
                    order = order[np.argsort(mask[order], kind="stable")]
                lines = [QLineF(*segment) for segment in segments.tolist()]
                pens = [
                    self._pen(colours, m, k, mask is not None and not mask[k])
                    for k in range(len(lines))
                ]
                self._lines.append((lines, pens, order))
        return self._lines

    def _invalidate(self) -> None:
        """Rebuild the cached lines and pens at the next paint."""
        self._lines = None
        self.update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.PaletteChange:
            self._images = {}
            self._invalidate()
        super().changeEvent(event)

    def neuron_fill(self, layer: int, unit: int) -> QColor:
        """The fill of a drawn neuron: its bias's sign colour, deeper for larger |b| (on the
        scale the lines use: the largest |w| or |b| gets the full colour)."""
        assert self._structure is not None  # a drawn neuron: there is a network
        position = self._structure.position(layer, unit)
        return self._fill(Colours.from_palette(self.palette()), layer, position)

    def _fill(self, colours: Colours, layer: int, position: int) -> QColor:
        if layer == 0:
            return colours.input_fill
        s = float(self._bias_strength[layer - 1][position])
        if np.isnan(s):
            return colours.nan
        return blend(colours.base, colours.sign(s), abs(s))

    # ----- painting -----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colours = Colours.from_palette(self.palette())
        if self._placement is None:
            painter.setPen(colours.quiet)
            rect = QRectF(self.rect()).adjusted(PAD, PAD, -PAD, -PAD)
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message()
            )
            return
        self._paint_lines(painter, colours)
        self._paint_neurons(painter, colours)
        self._paint_text(painter, colours)
        self._paint_enlarged(painter, colours)

    def _paint_lines(self, painter: QPainter, colours: Colours) -> None:
        for lines, pens, order in self._drawing():
            for k in order.tolist():
                painter.setPen(pens[k])
                painter.drawLine(lines[k])
        if self._hover is not None and self._hover[0] == "edge":
            _, m, k = self._hover
            lines, pens, _ = self._drawing()[m]
            pen = QPen(pens[k])
            pen.setColor(colours.highlight)
            pen.setWidthF(pen.widthF() + 2)
            painter.setPen(pen)
            painter.drawLine(lines[k])

    def _paint_neurons(self, painter: QPainter, colours: Colours) -> None:
        p, s = self._placement, self._structure
        assert p is not None and s is not None  # painted only when there is a network
        r = p.radius
        outline = QColor(colours.text)
        outline.setAlpha(150)
        maps = self.maps_shown()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for layer, column in enumerate(s.columns):
            for position, unit in enumerate(column.shown):
                centre = QPointF(p.xs[layer], p.ys[layer][position])
                pen = QPen(outline, 1.0)
                if self._selected == (layer, unit):
                    pen = QPen(colours.highlight, 3.0)
                elif self._hover == ("neuron", layer, unit):
                    pen = QPen(colours.text, 2.0)
                thumbnail = self._thumbnail(layer, int(unit)) if maps else None
                if thumbnail is None:
                    painter.setPen(pen)
                    painter.setBrush(self._fill(colours, layer, position))
                    painter.drawEllipse(centre, r, r)
                    continue
                square = QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)
                painter.drawImage(square, thumbnail[1])
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(square)

    def _paint_enlarged(self, painter: QPainter, colours: Colours) -> None:
        """The hovered neuron's map, bigger, on a card with its name and value range."""
        card = self.enlarged()
        if card is None:
            return
        thumbnail = self._thumbnail(card.layer, card.unit)
        assert thumbnail is not None  # enlarged() found the map
        fm = QFontMetrics(self.font())
        painter.setPen(QPen(colours.text, 1.0))
        painter.setBrush(colours.base)
        painter.drawRoundedRect(card.card, 6, 6)
        painter.drawImage(card.image, thumbnail[1])
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(card.image)
        x, width = card.card.left(), card.card.width()
        h = fm.lineSpacing()
        centred = Qt.AlignmentFlag.AlignCenter
        painter.drawText(QRectF(x, card.image.top() - h, width, h), centred, card.title)
        for row, line in enumerate(card.range_text.split("\n")):
            rect = QRectF(x, card.image.bottom() + 2 + row * h, width, h)
            painter.drawText(rect, centred, line)

    def _paint_text(self, painter: QPainter, colours: Colours) -> None:
        p, fm = self._placement, QFontMetrics(self.font())
        assert p is not None  # painted only when there is a network
        painter.setPen(colours.text)
        self._paint_names(painter, fm)
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        for x, lines in zip(p.xs, self._headers, strict=True):
            for row, line in enumerate(lines):
                rect = QRectF(x - 200, PAD + row * fm.lineSpacing(), 400, fm.lineSpacing())
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, line)
        painter.setFont(self.font())
        for x, y, text in zip(p.xs, p.gap_ys, self.markers(), strict=True):
            if text:
                w = fm.horizontalAdvance(text) + 8
                rect = QRectF(x - w / 2, y - fm.height() / 2, w, fm.height())
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colours.base)
                painter.drawRoundedRect(rect, 4, 4)
                painter.setPen(colours.quiet)
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_names(self, painter: QPainter, fm: QFontMetrics) -> None:
        """Input names left of the input neurons, output names right of the outputs."""
        p, s = self._placement, self._structure
        assert p is not None and s is not None  # painted only when there is a network
        r, h = p.radius, fm.height()
        last = len(s.columns) - 1
        for layer, align in ((0, Qt.AlignmentFlag.AlignRight), (last, Qt.AlignmentFlag.AlignLeft)):
            x = p.xs[layer]
            for position, unit in enumerate(s.columns[layer].shown):
                text, y = s.neuron_name(layer, int(unit)), p.ys[layer][position]
                if layer == 0:
                    rect = QRectF(0, y - h / 2, x - r - 6, h)
                else:
                    rect = QRectF(x + r + 6, y - h / 2, self.width() - x - r - 6, h)
                painter.drawText(rect, align | Qt.AlignmentFlag.AlignVCenter, text)
