"""The error map: |prediction − truth| of one output over the (a, b) plane, as a heat map.

On data without formulas (a CSV file) there is no truth between the rows, and the view shows
a ``ResponseMap`` instead: the prediction over two numeric inputs chosen as axes, the others
held at the Predict panel's values, with the rows as dots coloured by their true value.

The map is computed by ``core.error_map.error_grid`` (one forward pass over a 100 × 100 grid)
and drawn by one ImageItem whose rect puts every pixel over the inputs it was computed at; a
dashed rectangle marks the training ranges, so extending the map past them shows how the
network extrapolates. Hovering reads out a, b, the prediction, the truth and the error at the
pointer (computed there exactly, not taken from the nearest pixel).

Colour levels: by default they follow the data (1st to 99th percentile, rounded outward to
whole decades on the log scale or to 1-2-2.5-5 steps on the linear one) with hysteresis: a
limit moves out at once when the errors pass it, but moves in only where it leaves them some
headroom. While training, the colours therefore change in a few visible steps, not every frame.
"Lock" freezes the levels (so that two epochs can be compared by colour); dragging the colour
bar's handles locks them too.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from nngui.core.data import TARGETS, DataSpec, true_outputs
from nngui.core.error_map import (
    DEFAULT_RESOLUTION,
    MAX_EXTEND,
    ErrorGrid,
    colour_levels,
    error_grid_steps,
)
from nngui.gui.predict_panel import format_value
from nngui.gui.views.base import View, ViewState
from nngui.gui.views.heat_map import heat_map, map_readout
from nngui.gui.views.response_map_page import ResponseMap
from nngui.gui.views.stepwise import StepwiseJob
from nngui.gui.widgets import FlowLayout, describe, hint_label, int_spin, run_preview

RESOLUTION = DEFAULT_RESOLUTION
#: Grid rows computed per event-loop turn while training (a 64-64 network: about 10 ms each).
ROWS_PER_STEP = 25
MAX_EXTEND_PERCENT = round(MAX_EXTEND * 100)
#: Mouse moves handled per second at most.
HOVER_FPS = 30
NO_STATE = "No network yet: build or open one, and its error over the (a, b) plane shows here."
TITLE = "|prediction − truth| of {name}"
#: Margin around the map, as a share of its size (keeps the corner tick labels visible).
VIEW_PADDING = 0.015
#: Colour levels when there is no finite error to fit them to: {log scale?: (low, high)}.
EMPTY_LEVELS = {True: (-2.0, 0.0), False: (0.0, 1.0)}
#: Labelled decades on the log colour bar at most.
MAX_TICKS = 8
SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def outline_points(ranges: tuple[tuple[float, float], ...]) -> tuple[np.ndarray, np.ndarray]:
    """x and y of a closed rectangle around ((a_low, a_high), (b_low, b_high)), 5 points each."""
    (a_lo, a_hi), (b_lo, b_hi) = ranges
    return np.array([a_lo, a_hi, a_hi, a_lo, a_lo]), np.array([b_lo, b_lo, b_hi, b_hi, b_lo])


def decade_label(k: int) -> str:
    """The label of 10^k on a log colour bar: "0.01" … "1000" for k in −2…3, else "10⁻⁵"."""
    if -2 <= k <= 3:
        return f"{10.0**k:.{max(0, -k)}f}"
    return "10" + str(k).translate(SUPERSCRIPTS)


def decade_ticks(low: float, high: float) -> list[tuple[float, str]]:
    """Ticks at whole decades between log10 levels ``low`` and ``high``: (k, "10^k").

    Every decade up to MAX_TICKS of them, then every second, third … decade.
    """
    first, last = int(np.ceil(low - 1e-9)), int(np.floor(high + 1e-9))
    step = max(1, -(-(last - first + 1) // MAX_TICKS))
    return [(float(k), decade_label(k)) for k in range(first, last + 1, step)]


def image_data(error: np.ndarray, log: bool) -> np.ndarray:
    """What the image shows for an error map (n_b, n_a): the error, or its log10 (0 → −inf)."""
    if not log:
        return error
    with np.errstate(all="ignore"):
        return np.log10(error)


def summary_text(grid: ErrorGrid, k: int) -> str:
    """Mean and largest |error| of output k inside the training ranges (and beyond, if shown)."""
    inside = grid.inside()
    err = grid.error[k]
    parts = []
    for mask, where in ((inside, "Training range"), (~inside, "beyond it")):
        values = err[mask]
        if values.size:
            with np.errstate(all="ignore"):
                mean, top = float(np.mean(values)), float(np.max(values))
            parts.append(f"{where}: mean |error| {mean:.3g}, max {top:.3g}")
    return " · ".join(parts) + " (hover over the map for values)"


class ErrorMapView(View):
    """Heat map of one output's absolute error over the two inputs, with a colour bar."""

    title = "Error map"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state: ViewState | None = None
        self._grid: ErrorGrid | None = None
        self._shown: tuple | None = None  # the area the image and the view range are set for
        self._auto_levels: tuple[float, float] | None = None  # memory for the hysteresis
        self._steps = StepwiseJob(self)  # a live refresh, a step per event-loop turn
        self._pages = QStackedLayout(self)
        self.message = hint_label(NO_STATE, warning=False)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        describe(self.message, "Error map message", "Why the error map is empty.")
        self._pages.addWidget(self.message)
        self._pages.addWidget(self._map_page())
        self.response = ResponseMap()
        self._pages.addWidget(self.response)
        self.show_state(None)

    # ----- construction -------------------------------------------------------------------
    def _map_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._toolbar())
        self.notice = describe(
            hint_label(), "Error map warning", "Something about this map needs attention."
        )
        self.notice.hide()
        layout.addWidget(self.notice)
        layout.addWidget(self._plot(), 1)
        self.readout = map_readout(
            "Error readout",
            "Inputs, prediction, true value and absolute error under the mouse pointer.",
        )
        layout.addWidget(self.readout)
        return page

    def _toolbar(self) -> FlowLayout:
        row = FlowLayout()
        row.setContentsMargins(6, 4, 6, 0)
        self.output_combo = describe(
            QComboBox(), "Output", "The output whose absolute error the map shows."
        )
        self.output_combo.currentIndexChanged.connect(self._on_display_changed)
        self.extend_spin = int_spin(
            0, MAX_EXTEND_PERCENT, 0, name="Extend past the training range", suffix=" %",
            special="off",
            tip="Show inputs beyond the training range, by this share of the range's width "
            f"on every side (up to {MAX_EXTEND_PERCENT} %), to see how the network "
            "extrapolates.",
        )  # fmt: skip
        self.extend_spin.setSingleStep(25)
        self.extend_spin.valueChanged.connect(self._on_extend_changed)
        self.log_check = describe(
            QCheckBox("Log colour&s"), "Logarithmic colour scale",
            "Colour by the error's order of magnitude: errors often span several decades.",
        )  # fmt: skip
        self.log_check.setChecked(True)
        self.log_check.toggled.connect(self._on_log_toggled)
        self.lock_check = describe(
            QCheckBox("Loc&k colours"), "Lock the colour levels",
            "Keep the colour scale fixed while the network trains, to compare epochs by "
            "colour. Dragging the colour bar's handles locks it too.",
        )  # fmt: skip
        self.lock_check.toggled.connect(self._on_lock_toggled)
        output_label = QLabel("O&utput:")
        output_label.setBuddy(self.output_combo)
        extend_label = QLabel("E&xtend each side:")
        extend_label.setBuddy(self.extend_spin)
        row.add_group(output_label, self.output_combo)
        row.add_group(extend_label, self.extend_spin)
        row.add_group(self.log_check, self.lock_check, spacing=12)
        return row

    def _plot(self) -> pg.PlotWidget:
        plot = heat_map(
            self, "Error map",
            "Absolute error of the chosen output over the inputs a (across) and b (up); the "
            "dashed rectangle is the training range. Drag to pan, wheel to zoom.", "|error|",
        )  # fmt: skip
        self.plot_widget, self.plot_item, self.image = plot.widget, plot.item, plot.image
        self.outline, self.colour_bar = plot.outline, plot.colour_bar
        self._text_colour = plot.text_colour
        self.colour_bar.sigLevelsChanged.connect(self._update_ticks)
        self.colour_bar.sigLevelsChangeFinished.connect(self._on_levels_dragged)
        self._proxy = pg.SignalProxy(
            self.plot_widget.scene().sigMouseMoved, rateLimit=HOVER_FPS, slot=self._on_mouse_moved
        )
        return self.plot_widget

    # ----- public API ---------------------------------------------------------------------
    def show_state(self, state: ViewState | None) -> None:
        """Map the error of ``state``'s network (None: clear the map and say why), now."""
        if self._own_data(state):
            self._steps.run_now(None)
            self.response.show_state(state)
        else:
            self._steps.run_now(self._refresh(state))

    def show_live_state(self, state: ViewState | None) -> None:
        """Like ``show_state``, but a block of grid rows per event-loop turn, then the drawing
        in a turn of its own; a newer state, or ``show_state``, drops what an older one left."""
        if self._own_data(state):
            self.response.show_live_state(state)
        else:
            self._steps.start(self._refresh(state))

    def flush(self) -> None:
        """Finish a live refresh now."""
        self._steps.flush()
        self.response.flush()

    def pending(self) -> bool:
        """Whether a live refresh has steps left."""
        return self._steps.pending() or self.response.pending()

    def set_held(self, values: np.ndarray | None) -> None:
        """On own data: hold the inputs that are not axes at ``values`` (see ResponseMap)."""
        self.response.set_held(values)

    def _own_data(self, state: ViewState | None) -> bool:
        """Whether ``state`` is on data without formulas: shown by the response map (or,
        when it cannot be, the page saying why)."""
        if state is None or isinstance(state.dataset.spec, DataSpec):
            return False
        self._state = state
        self._grid = None
        why = ResponseMap.unusable(state)
        self.message.setText(why)
        self._pages.setCurrentIndex(0 if why else 2)
        return True

    def _refresh(self, state: ViewState | None) -> Iterator[None]:
        """The steps of showing ``state``: the grid a block of rows at a time, then the map."""
        self._state = state
        why = self._unusable(state)
        if why:
            self._grid = None
            self.image.clear()
            self.message.setText(why)
            self._pages.setCurrentIndex(0)
            return
        assert state is not None  # _unusable(None) gives a reason
        self._set_outputs(tuple(state.model.output_names))
        self._pages.setCurrentIndex(1)
        yield from self._recompute_steps()

    def grid(self) -> ErrorGrid | None:
        """The error grid shown (None when the view is empty)."""
        return self._grid

    def output(self) -> int:
        """Index of the output shown."""
        return max(self.output_combo.currentIndex(), 0)

    def levels(self) -> tuple[float, float]:
        """The colour levels (log10 of the error on the log scale)."""
        return tuple(self.colour_bar.levels())

    def show_readout(self, a: float, b: float) -> str:
        """Show (and return) the inputs, prediction, truth and |error| at (a, b)."""
        if self._state is None or self._grid is None:
            return ""
        k = self.output()
        x = np.array([[a, b]], dtype=np.float64)
        with np.errstate(all="ignore"):
            pred = float(self._state.model.predict(x)[0, k])
            truth = float(true_outputs(x, (self._grid.output_names[k],))[0, 0])
            err = abs(pred - truth)
        (a_lo, a_hi), (b_lo, b_hi) = self._grid.ranges
        outside = not (a_lo <= a <= a_hi and b_lo <= b <= b_hi)
        text = (
            f"a = {a:.4g}, b = {b:.4g} · prediction {format_value(pred)} · "
            f"truth {format_value(truth)} · |error| {err:.3g}"
        )
        if outside:
            text += " · outside the training range"
        self.readout.setText(text)
        return text

    # ----- computing and drawing ----------------------------------------------------------
    @staticmethod
    def _unusable(state: ViewState | None) -> str:
        """Why ``state`` cannot be mapped ("" when it can)."""
        if state is None:
            return NO_STATE
        n = state.network.n_inputs
        if n != 2:
            return f"The error map needs a network with two inputs (a, b); this one has {n}."
        names = state.model.output_names
        unknown = [name for name in names if name not in TARGETS]
        if unknown or len(names) != state.network.n_outputs:
            missing = unknown[0] if unknown else "every output"
            return f"No true formula is known for {missing}, so there is no error to map."
        return ""

    def _set_outputs(self, names: tuple[str, ...]) -> None:
        """Offer ``names`` in the output combo, keeping the chosen name when it remains."""
        combo = self.output_combo
        if tuple(combo.itemText(i) for i in range(combo.count())) == names:
            return
        current = combo.currentText()
        with QSignalBlocker(combo):
            combo.clear()
            combo.addItems(list(names))
            combo.setCurrentIndex(names.index(current) if current in names else 0)
        self._auto_levels = None

    def _recompute(self) -> None:
        """Compute and draw the map of the state shown again (another extent), now."""
        self._steps.run_now(self._recompute_steps())

    def _recompute_steps(self) -> Iterator[None]:
        state = self._state
        if state is None or self._pages.currentIndex() != 1:
            return
        if not isinstance(state.dataset.spec, DataSpec):  # CSV data: no formulas to compare
            return
        steps = error_grid_steps(
            state.model,
            state.model.output_names,
            state.dataset.spec.ranges,
            RESOLUTION,
            self.extend_spin.value() / 100.0,
            rows_per_step=ROWS_PER_STEP,
        )
        grid = None
        for grid in steps:  # noqa: B007 (the last one is the map)
            yield  # a block of rows a turn; the drawing in a turn of its own
        self._grid = grid
        names = state.dataset.input_names
        self.plot_item.setLabel("bottom", names[0])
        self.plot_item.setLabel("left", names[1])
        self._draw()

    def _draw(self) -> None:
        grid = self._grid
        if grid is None:
            return
        k, log = self.output(), self.log_check.isChecked()
        error = grid.error[k]
        self.image.setImage(image_data(error, log), autoLevels=False)
        self._update_levels(error, log)
        if grid.shown != self._shown:
            self._set_area(grid)
        self.plot_item.setTitle(TITLE.format(name=grid.output_names[k]), color=self._text_colour)
        finite = bool(np.isfinite(error).any())
        self.notice.setText(
            "" if finite else "The network's outputs are not finite (diverged weights): "
            "there is no error to colour."
        )  # fmt: skip
        self.notice.setVisible(not finite)
        self.readout.setText(summary_text(grid, k) if finite else "")

    def _update_levels(self, error: np.ndarray, log: bool) -> None:
        """Automatic levels unless locked; the colour bar's axis follows the scale."""
        self.colour_bar.getAxis("left").setLabel("|error| (log scale)" if log else "|error|")
        if not self.lock_check.isChecked():
            levels = colour_levels(error, log, self._auto_levels)
            if levels is not None:
                self._auto_levels = levels
            self.colour_bar.rounding = 0.05 if log else (levels or (0, 1))[1] / 200
            self.colour_bar.setLevels(levels or EMPTY_LEVELS[log])
        self._update_ticks()

    def _update_ticks(self, *_: object) -> None:
        """Decade ticks on the log colour bar (its values are log10 of the error)."""
        if self.log_check.isChecked():
            self.colour_bar.axis.setTicks([decade_ticks(*self.colour_bar.levels())])
        else:
            self.colour_bar.axis.setTicks(None)

    def _set_area(self, grid: ErrorGrid) -> None:
        """Stretch the image over the grid's area, outline the training range, fit the view."""
        rect = QRectF(*grid.rect)
        self.image.setRect(rect)
        self.outline.setData(*outline_points(grid.ranges))
        self.plot_item.getViewBox().setRange(rect, padding=VIEW_PADDING)
        self._shown = grid.shown

    # ----- user actions -------------------------------------------------------------------
    def _on_display_changed(self, *_: object) -> None:
        self._auto_levels = None
        self._draw()

    def _on_log_toggled(self, *_: object) -> None:
        # Locked levels are in the other scale's units: let them follow the data again.
        with QSignalBlocker(self.lock_check):
            self.lock_check.setChecked(False)
        self._on_display_changed()

    def _on_extend_changed(self, *_: object) -> None:
        self._auto_levels = None
        self._recompute()

    def _on_lock_toggled(self, locked: bool) -> None:
        if not locked:
            self._auto_levels = None
            self._draw()

    def _on_levels_dragged(self, *_: object) -> None:
        self.lock_check.setChecked(True)

    def _on_mouse_moved(self, event: tuple[QPointF]) -> None:
        grid, vb = self._grid, self.plot_item.getViewBox()
        if grid is None:
            return
        pos = event[0]
        point = vb.mapSceneToView(pos)
        if vb.sceneBoundingRect().contains(pos) and QRectF(*grid.rect).contains(point):
            self.show_readout(point.x(), point.y())
        elif np.isfinite(grid.error[self.output()]).any():
            self.readout.setText(summary_text(grid, self.output()))


if __name__ == "__main__":
    from nngui.core.model import Model
    from nngui.core.presets import ARTICLE
    from nngui.core.setup import fresh_start
    from nngui.core.training import Trainer

    def _make() -> ErrorMapView:
        # The article's network, trained a few thousand epochs (a couple of seconds).
        dataset, net = fresh_start(ARTICLE.data, ARTICLE.layers)
        trainer = Trainer(net, dataset, ARTICLE.training)
        trainer.run(3000)
        view = ErrorMapView()
        view.show_state(ViewState(Model.from_dataset(net.copy(), dataset), dataset, 3000))
        view.output_combo.setCurrentIndex(2)  # |a-b|: its kink along a = b
        view.resize(860, 560)
        return view

    run_preview(_make, "Error map preview")
