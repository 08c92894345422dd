"""The error map of data without formulas (a CSV file): the network's response, and its rows.

The background is the prediction of one output over two numeric inputs chosen as axes (the
others held at the Predict panel's values, the training medians at first), from
``core.response_map``; the rows of a split are dots coloured by their *true* value on the same
colour scale. Where a dot's colour matches the colour around it the network is right; a dot
that stands out is a row it gets wrong. Hovering reads out the row under the pointer (its
truth, prediction and absolute error) or the prediction at that point.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSignalBlocker
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QVBoxLayout, QWidget

from nngui.core.data import InputColumn, Split
from nngui.core.error_map import DEFAULT_RESOLUTION, MAX_EXTEND
from nngui.core.response_map import (
    ResponseGrid,
    RowErrors,
    numeric_inputs,
    response_grid_steps,
    row_errors,
    training_medians,
    value_levels,
)
from nngui.gui.predict_panel import format_value
from nngui.gui.views.base import ViewState
from nngui.gui.views.heat_map import COLOUR_MAP, heat_map, map_readout
from nngui.gui.views.stepwise import StepwiseJob
from nngui.gui.widgets import FlowLayout, describe, hint_label, int_spin

ROWS_PER_STEP = 25
HOVER_FPS = 30
#: Shades of the dots' colours, and the most rows drawn (a sample of bigger splits).
SHADES = 64
MAX_DOTS = 2000
#: A row is under the pointer within this many pixels.
HOVER_PIXELS = 8
MAX_EXTEND_PERCENT = round(MAX_EXTEND * 100)
SPLITS = {"test": "Test rows", "train": "Training rows", "val": "Validation rows", "": "No rows"}
TITLE = "predicted {name} (dots: rows, coloured by their true value)"


def outline(ranges: tuple[tuple[float, float], tuple[float, float]]) -> tuple[list, list]:
    """x and y of a closed rectangle around the training ranges of the two axes."""
    (x_lo, x_hi), (y_lo, y_hi) = ranges
    return [x_lo, x_hi, x_hi, x_lo, x_lo], [y_lo, y_lo, y_hi, y_hi, y_lo]


class ResponseMap(QWidget):
    """Prediction over two numeric inputs with the rows on top (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state: ViewState | None = None
        self._grid: ResponseGrid | None = None
        self._rows: RowErrors | None = None
        self._held: np.ndarray | None = None
        self._levels: tuple[float, float] | None = None
        self._sampled = False  # the dots are a sample of the split's rows
        self._steps = StepwiseJob(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._toolbar())
        self.held_note = describe(
            hint_label(warning=False), "Held inputs",
            "The other inputs are held at the values typed in the Predict panel below.",
        )  # fmt: skip
        self.held_note.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(self.held_note)
        layout.addWidget(self._plot(), 1)
        self.readout = map_readout(
            "Response readout",
            "The row or the point under the mouse pointer: inputs, truth, prediction, error. "
            "A dot whose colour stands out from the map around it is a row predicted badly.",
        )
        layout.addWidget(self.readout)

    # ----- construction -------------------------------------------------------------------
    def _toolbar(self) -> FlowLayout:
        row = FlowLayout()
        row.setContentsMargins(6, 4, 6, 0)
        self.output_combo = describe(QComboBox(), "Map output", "The output the map shows.")
        self.x_combo = describe(QComboBox(), "Across", "The numeric input along the x axis.")
        self.y_combo = describe(QComboBox(), "Up", "The numeric input along the y axis.")
        self.rows_combo = describe(QComboBox(), "Rows shown", "Which rows are drawn as dots.")
        for value, text in SPLITS.items():
            self.rows_combo.addItem(text, value)
        self.extend_spin = int_spin(
            0, MAX_EXTEND_PERCENT, 0, name="Extend the map", suffix=" %", special="off",
            tip="Show inputs beyond the training range, by this share of the range's width on "
            f"every side (up to {MAX_EXTEND_PERCENT} %), to see how the network extrapolates.",
        )  # fmt: skip
        self.extend_spin.setSingleStep(25)
        self.lock_check = describe(
            QCheckBox("Loc&k colours"), "Lock the map colours",
            "Keep the colour scale fixed while the network trains, to compare epochs.",
        )  # fmt: skip
        for combo in (self.output_combo, self.rows_combo):
            combo.currentIndexChanged.connect(self._redraw)
        for combo in (self.x_combo, self.y_combo):
            combo.currentIndexChanged.connect(self._recompute)
        self.extend_spin.valueChanged.connect(self._recompute)
        self.lock_check.toggled.connect(lambda _on: self._redraw())
        groups = [
            ("O&utput:", self.output_combo), ("Acro&ss:", self.x_combo),
            ("Up:", self.y_combo), ("Rows:", self.rows_combo), ("E&xtend:", self.extend_spin),
        ]  # fmt: skip
        for text, widget in groups:
            label = QLabel(text)
            label.setBuddy(widget)
            row.add_group(label, widget)
        row.add_group(self.lock_check)
        return row

    def _plot(self) -> pg.PlotWidget:
        plot = heat_map(
            self, "Response map",
            "The chosen output's prediction over two inputs; dots are rows coloured by their "
            "true value, the dashed rectangle the training range. Drag to pan, wheel to zoom.",
        )  # fmt: skip
        self.plot_widget, self.plot_item, self.image = plot.widget, plot.item, plot.image
        self.outline, self.colour_bar = plot.outline, plot.colour_bar
        self._text_colour = plot.text_colour
        self.dots = pg.ScatterPlotItem(size=8, pen=pg.mkPen("w", width=1))
        self.plot_item.addItem(self.dots)
        self.colour_map = pg.colormap.get(COLOUR_MAP)
        # One brush per shade, made once: pyqtgraph draws a symbol per distinct brush object.
        self._brushes = [
            pg.mkBrush(c) for c in self.colour_map.getLookupTable(nPts=SHADES, mode="qcolor")
        ]
        self.colour_bar.sigLevelsChanged.connect(self._colour_dots)
        self.colour_bar.sigLevelsChangeFinished.connect(lambda *_: self.lock_check.setChecked(True))
        self._proxy = pg.SignalProxy(
            self.plot_widget.scene().sigMouseMoved, rateLimit=HOVER_FPS, slot=self._on_mouse_moved
        )
        return self.plot_widget

    # ----- public API ---------------------------------------------------------------------
    def show_state(self, state: ViewState | None) -> None:
        """Map ``state``'s network now."""
        self._steps.run_now(self._refresh(state))

    def show_live_state(self, state: ViewState | None) -> None:
        """Map ``state``'s network a block of grid rows per event-loop turn."""
        self._steps.start(self._refresh(state))

    def flush(self) -> None:
        """Finish a live refresh now."""
        self._steps.flush()

    def pending(self) -> bool:
        """Whether a live refresh has steps left."""
        return self._steps.pending()

    def set_held(self, values: np.ndarray | None) -> None:
        """Hold the inputs that are not axes at ``values`` (the network's inputs; None: the
        training medians)."""
        values = None if values is None else np.asarray(values, dtype=np.float64)
        same = (values is None and self._held is None) or (
            values is not None and self._held is not None and np.array_equal(values, self._held)
        )
        if not same:
            self._held = values
            self._recompute()

    def grid(self) -> ResponseGrid | None:
        """The grid shown (None when nothing is)."""
        return self._grid

    def axes(self) -> tuple[int, int]:
        """The network inputs along x and y."""
        return int(self.x_combo.currentData()), int(self.y_combo.currentData())

    @staticmethod
    def unusable(state: ViewState) -> str:
        """Why ``state`` cannot be mapped this way ("" when it can)."""
        n = len(numeric_inputs(state.model))
        if n < 2:
            return (
                f"The map needs two numeric inputs as axes; this network has {n} (categories "
                "are no axis)."
            )
        return ""

    # ----- computing ----------------------------------------------------------------------
    def _refresh(self, state: ViewState | None) -> Iterator[None]:
        self._state = state
        if state is None:
            return
        self._set_choices(state)
        yield from self._compute()

    def _set_choices(self, state: ViewState) -> None:
        """Offer the outputs and the numeric inputs, keeping the choices that remain."""
        names = state.model.input_names
        numeric = numeric_inputs(state.model)
        _refill(self.output_combo, [(n, i) for i, n in enumerate(state.model.output_names)])
        items = [(names[i], i) for i in numeric]
        # The first inputs with more than two values make the default axes (not a 0/1 flag).
        x = state.dataset.train.x
        varied = [k for k, i in enumerate(numeric) if len(np.unique(x[:, i])) > 2]
        order = varied + [k for k in range(len(numeric)) if k not in varied]
        first, second = (order[0], order[1]) if len(order) > 1 else (0, 1)
        _refill(self.x_combo, items, default=first)
        _refill(self.y_combo, items, default=second)
        if self.x_combo.currentData() == self.y_combo.currentData():
            with QSignalBlocker(self.y_combo):
                self.y_combo.setCurrentIndex(1 if self.x_combo.currentIndex() == 0 else 0)

    def _recompute(self, *_: object) -> None:
        if self._state is not None:
            self._steps.run_now(self._compute())

    def _compute(self) -> Iterator[None]:
        state = self._state
        if state is None or self.unusable(state):
            return
        axes = self.axes()
        if axes[0] == axes[1]:
            self.readout.setText("Choose two different inputs as the axes.")
            return
        held = self._held if self._held is not None else training_medians(state.dataset)
        if len(held) != state.network.n_inputs:
            held = training_medians(state.dataset)
        x = state.dataset.train.x
        ranges = [(float(x[:, a].min()), float(x[:, a].max())) for a in axes]
        grid = None
        for grid in response_grid_steps(  # noqa: B007 (the last one is the map)
            state.model, axes, ranges, held, DEFAULT_RESOLUTION,
            self.extend_spin.value() / 100.0, rows_per_step=ROWS_PER_STEP,
        ):  # fmt: skip
            yield
        self._grid = grid
        self._show_held(state, held, axes)
        self._redraw()

    def _show_held(self, state: ViewState, held: np.ndarray, axes: tuple[int, int]) -> None:
        names = state.model.input_names
        shown = []
        for column_start, column in _columns(state):
            if column_start in axes:
                continue
            if column.kind == "categorical":
                block = held[column_start : column_start + len(column.categories)]
                shown.append(f"{column.name} = {column.categories[int(np.argmax(block))]}")
            else:
                shown.append(f"{names[column_start]} = {held[column_start]:.4g}")
        text = "Other inputs held at the Predict panel's values: " + ", ".join(shown)
        self.held_note.setText(text if shown else "")
        self.held_note.setToolTip(text)
        self.held_note.setVisible(bool(shown))

    # ----- drawing ------------------------------------------------------------------------
    def _split_rows(self) -> RowErrors | None:
        state, key = self._state, self.rows_combo.currentData()
        if state is None or not key:
            return None
        split = getattr(state.dataset, key)
        if split is None or len(split) == 0:
            return None
        self._sampled = len(split) > MAX_DOTS
        if self._sampled:  # a sample keeps the map quick (the same rows every time)
            keep = np.random.RandomState(0).choice(len(split), MAX_DOTS, replace=False)
            split = Split(split.x[keep], split.y[keep], split.xs[keep], split.ys[keep])
        return row_errors(state.model, split)

    def _redraw(self, *_: object) -> None:
        grid, state = self._grid, self._state
        if grid is None or state is None:
            return
        k = max(self.output_combo.currentIndex(), 0)
        if k >= grid.prediction.shape[0]:
            return
        surface = grid.prediction[k]
        self.image.setImage(surface, autoLevels=False)
        self.image.setRect(QRectF(*grid.rect))
        self.outline.setData(*outline(grid.ranges))
        self._rows = self._split_rows()
        truths = self._rows.truth[:, k] if self._rows is not None else np.empty(0)
        if not self.lock_check.isChecked():
            levels = value_levels(surface.ravel(), truths, previous=self._levels)
            self._levels = levels
            if levels is not None:
                self.colour_bar.setLevels(levels)
        name = grid.output_names[k]
        self.colour_bar.getAxis("left").setLabel(name)
        self.plot_item.setTitle(TITLE.format(name=name), color=self._text_colour)
        names = state.model.input_names
        self.plot_item.setLabel("bottom", names[grid.axes[0]])
        self.plot_item.setLabel("left", names[grid.axes[1]])
        self.plot_item.getViewBox().setRange(QRectF(*grid.rect), padding=0.015)
        self._colour_dots()
        self.readout.setText(self._summary(k))

    def _colour_dots(self, *_: object) -> None:
        rows, grid = self._rows, self._grid
        if rows is None or grid is None:
            self.dots.setData([], [])
            return
        k = max(self.output_combo.currentIndex(), 0)
        lo, hi = self.colour_bar.levels()
        scaled = np.clip((rows.truth[:, k] - lo) / ((hi - lo) or 1.0), 0.0, 1.0)
        shade = np.round(np.nan_to_num(scaled) * (SHADES - 1)).astype(int)
        brushes = [self._brushes[s] for s in shade]
        self.dots.setData(rows.x[:, grid.axes[0]], rows.x[:, grid.axes[1]], brush=brushes)

    def _summary(self, k: int) -> str:
        rows = self._rows
        if rows is None:
            return "Hover over the map to read the prediction at a point."
        error = rows.error[:, k]
        with np.errstate(all="ignore"):
            mean, top = float(np.nanmean(error)), float(np.nanmax(error))
        what = self.rows_combo.currentText().lower()
        if self._sampled:
            what += f" (a sample of {len(rows.x):,})"
        return f"{what.capitalize()}: mean |error| {mean:.3g}, max {top:.3g}"

    # ----- hovering -----------------------------------------------------------------------
    def _on_mouse_moved(self, event: tuple[QPointF]) -> None:
        grid, state = self._grid, self._state
        if grid is None or state is None:
            return
        pos = event[0]
        vb = self.plot_item.getViewBox()
        if not vb.sceneBoundingRect().contains(pos):
            return
        point = vb.mapSceneToView(pos)
        self.readout.setText(self.readout_at(point.x(), point.y(), pos))

    def readout_at(self, x: float, y: float, scene_pos: QPointF | None = None) -> str:
        """What the readout says for the point (x, y): the row there, else the prediction."""
        grid, state = self._grid, self._state
        if grid is None or state is None:
            return ""
        k = max(self.output_combo.currentIndex(), 0)
        names = state.model.input_names
        ax, ay = grid.axes
        rows = self._rows
        if rows is not None and scene_pos is not None and len(rows.x):
            vb = self.plot_item.getViewBox()
            points = [vb.mapViewToScene(QPointF(px, py)) for px, py in rows.x[:, [ax, ay]]]
            d = [(p.x() - scene_pos.x()) ** 2 + (p.y() - scene_pos.y()) ** 2 for p in points]
            i = int(np.argmin(d))
            if d[i] <= HOVER_PIXELS**2:
                return (
                    f"row: {names[ax]} = {rows.x[i, ax]:.4g}, {names[ay]} = {rows.x[i, ay]:.4g} "
                    f"· true {format_value(rows.truth[i, k])} · predicted "
                    f"{format_value(rows.prediction[i, k])} · |error| {rows.error[i, k]:.3g}"
                )
        inputs = grid.held.copy()
        inputs[ax], inputs[ay] = x, y
        with np.errstate(all="ignore"):
            pred = float(state.model.predict(inputs[None, :])[0, k])
        (x_lo, x_hi), (y_lo, y_hi) = grid.ranges
        outside = "" if x_lo <= x <= x_hi and y_lo <= y <= y_hi else " · outside the training range"
        where = f"{names[ax]} = {x:.4g}, {names[ay]} = {y:.4g}"
        return f"{where} · prediction {format_value(pred)}{outside}"


def _refill(combo: QComboBox, items: list[tuple[str, int]], default: int = 0) -> None:
    """Offer ``items`` (text, data) in ``combo``, keeping the chosen text if it remains."""
    if [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())] == items:
        return
    current = combo.currentText()
    texts = [t for t, _ in items]
    with QSignalBlocker(combo):
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(
            texts.index(current) if current in texts else min(default, len(items) - 1)
        )


def _columns(state: ViewState) -> Iterator[tuple[int, InputColumn]]:
    """(first network input, column) of each data column of ``state``."""
    columns = state.model.input_columns or tuple(InputColumn(n) for n in state.model.input_names)
    at = 0
    for column in columns:
        yield at, column
        at += len(column.encoded_names)
