"""The Fit view: predicted against true per output, the residuals, and a table of metrics.

What MATLAB's Neural Net Fitting app calls the regression plot and the error histogram, live:
for the chosen split (test by default), one small scatter per output of the network's
prediction against the true value in original units, with the line y = x where a perfect
network's points would lie, and under it a histogram of the residuals (predicted − true).
Below, the metrics of every split and output (``core.fit.fit_table``, which the app exports).

Plot items and table cells are created once and updated with ``setData`` / ``setText``; they are
rebuilt only when the outputs (or the splits) change. Large splits draw a fixed, evenly spread
subset of at most ``MAX_POINTS`` points per scatter; the histograms and metrics use every row.

A refresh (predicting every split, the table and two plots per output) takes 20-40 ms before
painting. While training, ``show_live_state`` spreads it over event-loop turns: one split's
predictions each, then the table, then one output's plots per turn. Each output's two plots
are a widget of their own, so a turn repaints only the output it drew and the window answers
in between while the trainer holds the GIL; a newer state drops what is left of an older one.
``show_state`` does it all at once.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyqtgraph as pg
import pyqtgraph.functions as fn
from PySide6.QtCore import QRectF, QSignalBlocker, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPolygonF, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QWidget,
)

from nngui.core.fit import (
    FIT_COLUMNS,
    SPLITS,
    SplitFit,
    residual_histogram,
    sample_rows,
    split_fit,
)
from nngui.gui.plot_range import SteppedRange, nice_step_up, stepped_range
from nngui.gui.views.base import View, ViewState
from nngui.gui.views.stepwise import StepwiseJob
from nngui.gui.widgets import describe, read_only_item

#: Points drawn per scatter at most (a fixed, evenly spread subset of the split's rows).
MAX_POINTS = 2000
#: Bins of each residual histogram.
HIST_BINS = 40
#: How the splits are named to people.
SPLIT_LABELS = {"train": "train", "val": "validation", "test": "test"}
HEADERS = ["Split", "Output", "MSE", "RMSE", "MAE", "R²", "Max error"]
#: Values beyond this magnitude (a diverged network's) are not drawn: plots cannot range them.
DRAW_LIMIT = 1e150
#: Diameter of a scatter point in pixels.
POINT_SIZE = 4
NO_VALUE = "—"
EMPTY_TEXT = "No network yet: build a network and generate data to see how well it fits."
POINT_COLOUR = (31, 119, 180)
ZERO_COLOUR = "#d62728"


def format_metric(v: float) -> str:
    """A metric: four significant digits ("1.000" is rounded, not exact); NaN "—", ±inf spelt."""
    if np.isnan(v):
        return NO_VALUE
    if not np.isfinite(v):
        return str(v)
    return f"{v:#.4g}".rstrip(".")  # "#" keeps "1.000" but writes "1715." for 1715


def _span(d: np.ndarray) -> tuple[float, float]:
    """(min, max) of the non-empty ``d``."""
    return float(d.min()), float(d.max())


class PointCloud(pg.GraphicsObject):
    """Many points of one look, drawn with one ``drawPoints`` call.

    A lean stand-in for ``pg.ScatterPlotItem``, whose ``setData`` builds a record per point
    (about 5 ms for 2,000 points): here an update copies the coordinates into one QPolygonF.
    Points are squares ``size`` pixels wide whatever the zoom (a cosmetic pen): Qt draws
    square points two to three times faster than round ones (2,000 points: about 1.5 ms
    against 3.7 ms), and this view repaints while the network trains.
    """

    def __init__(self, colour: tuple[int, ...], size: int = POINT_SIZE) -> None:
        super().__init__()
        self._x = self._y = np.empty(0)
        self._polygon = QPolygonF()
        self._size = size
        self._pen = pg.mkPen(colour, width=size)
        self._pen.setCosmetic(True)
        self._pen.setCapStyle(Qt.PenCapStyle.SquareCap)

    def setData(self, x: np.ndarray, y: np.ndarray) -> None:  # noqa: N802 (pyqtgraph's name)
        """Draw the points (x[i], y[i]); x, y finite, of shape (n,)."""
        self.prepareGeometryChange()
        self._x = np.array(x, dtype=np.float64)
        self._y = np.array(y, dtype=np.float64)
        self._polygon = fn.create_qpolygonf(len(self._x))
        if len(self._x):  # an empty polygon has no buffer to write to
            xy = fn.ndarray_from_qpolygonf(self._polygon)
            xy[:, 0], xy[:, 1] = self._x, self._y
        self.informViewBoundsChanged()
        self.update()

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: N802 (pyqtgraph's name)
        """The points drawn: (x, y), each of shape (n,)."""
        return self._x, self._y

    def dataBounds(  # noqa: N802 (pyqtgraph's name and arguments)
        self, ax: int, frac: float = 1.0, orthoRange: object = None
    ) -> tuple[float, float] | tuple[None, None]:
        """(min, max) of the x (ax 0) or y (ax 1) coordinates, for the view's auto-range."""
        d = self._x if ax == 0 else self._y
        return _span(d) if len(d) else (None, None)

    def pixelPadding(self) -> float:  # noqa: N802 (pyqtgraph's name)
        """Pixels the points reach beyond their centres."""
        return self._size / 2

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        if not len(self._x):
            return QRectF()
        px, py = (self.pixelWidth(), self.pixelHeight())
        pad_x, pad_y = px * self._size, py * self._size
        x0, x1 = _span(self._x)
        y0, y1 = _span(self._y)
        return QRectF(x0 - pad_x, y0 - pad_y, x1 - x0 + 2 * pad_x, y1 - y0 + 2 * pad_y)

    def paint(self, painter: QPainter, *args: object) -> None:
        painter.setPen(self._pen)
        painter.drawPoints(self._polygon)


class FitView(View):
    """Regression plots, residual histograms and the metrics table of the network's fit."""

    title = "Fit"
    # Six plots and a table over every split: about 40 ms a refresh with painting, so every
    # two seconds while training, which keeps it within 5 % of the loss plot's training speed
    # (bench/bench_gui.py: once a second cost 5 %).
    live_rate = 0.5

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fits: dict[str, SplitFit] = {}
        self._text = self.palette().color(QPalette.ColorRole.Text)
        self._rows: list[dict[str, str | float]] = []
        self._outputs: tuple[str, ...] = ()
        self._table_keys: list[tuple[str, str]] = []
        self.scatter_plots: list[pg.PlotItem] = []
        self.scatters: list[PointCloud] = []
        self.diagonals: list[pg.PlotDataItem] = []
        self.histograms: list[pg.PlotDataItem] = []
        self.r2_labels: list[pg.TextItem] = []
        self._steps = StepwiseJob(self)  # a live refresh, a step per event-loop turn
        self.build_frame(self._toolbar(), self._content(), EMPTY_TEXT)
        self.show_state(None)

    # ----- construction -------------------------------------------------------------------
    def _toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel("&Split:")
        self.split_combo = describe(
            QComboBox(), "Split to plot",
            "The rows whose predictions are plotted: the training rows the network learnt "
            "from, the validation rows that chose the kept weights, or the unseen test rows.",
        )  # fmt: skip
        label.setBuddy(self.split_combo)
        self.split_combo.currentIndexChanged.connect(self._on_split_chosen)
        self.summary = describe(
            QLabel(), "Plotted rows", "How many rows of the split are plotted and summarised."
        )
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(label)
        row.addWidget(self.split_combo)
        row.addSpacing(8)
        row.addWidget(self.summary, 1)
        return row

    def _content(self) -> QSplitter:
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.plots = QFrame()  # one GraphicsLayoutWidget per output, side by side
        self.plots.setAutoFillBackground(True)
        self.plots.setBackgroundRole(QPalette.ColorRole.Base)
        self._columns_box = QHBoxLayout(self.plots)
        self._columns_box.setContentsMargins(0, 0, 0, 0)
        self._columns_box.setSpacing(0)
        self.columns: list[pg.GraphicsLayoutWidget] = []
        describe(self.plots, "Fit plots",
                 "Top: each output's prediction against its true value (original units); on "
                 "the dashed line y = x the network is exact. Bottom: the histogram of the "
                 "residuals, predicted − true. Drag to pan, wheel to zoom, right-click for "
                 "more.")  # fmt: skip
        self.table = describe(
            QTableWidget(0, len(HEADERS)), "Fit metrics",
            "Per split and output, in original units: mean squared error, its root, mean "
            "absolute error, R² (1 is a perfect fit) and the largest absolute error.",
        )  # fmt: skip
        self._set_up_table()
        splitter.addWidget(self.plots)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self._splitter = splitter
        # Until the user drags the handle, the table keeps the height of its rows.
        self._user_sized = False
        splitter.splitterMoved.connect(self._on_splitter_moved)
        return splitter

    def _set_up_table(self) -> None:
        table = self.table
        table.setHorizontalHeaderLabels(HEADERS)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)  # Tab leaves the table (arrows move within it)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setMinimumHeight(table.fontMetrics().height() * 4)

    def _build_plots(self, outputs: tuple[str, ...]) -> None:
        """One scatter (top) and one residual histogram (below it) per output, in a widget of
        its own (a change to one output's plots repaints only them)."""
        for column in self.columns:
            column.deleteLater()
        self.columns = []
        self.scatter_plots, self.scatters, self.diagonals = [], [], []
        self.histograms, self.r2_labels = [], []
        self._ranges: list[tuple[SteppedRange, SteppedRange]] = []
        text = self._text
        for name in outputs:
            column = pg.GraphicsLayoutWidget()
            column.setBackground(self.palette().color(QPalette.ColorRole.Base))
            column.setFrameShape(QFrame.Shape.NoFrame)
            describe(column, f"Fit of {name}", self.plots.toolTip())
            self._columns_box.addWidget(column, 1)
            self.columns.append(column)
            top = column.addPlot(row=0, col=0)
            _style(top, text, f"true {name}", f"predicted {name}")
            scatter = PointCloud((*POINT_COLOUR, 110))
            diagonal = top.plot([], [], pen=pg.mkPen(text, width=1, style=Qt.PenStyle.DashLine))
            top.addItem(scatter)
            self.r2_labels.append(self._corner_label(top))
            bottom = column.addPlot(row=1, col=0)
            _style(bottom, text, f"residual {name}", "rows")
            histogram = bottom.plot(
                [0.0, 1.0], [0], stepMode="center", fillLevel=0,
                pen=pg.mkPen(*POINT_COLOUR), brush=pg.mkBrush(*POINT_COLOUR, 90),
            )  # fmt: skip
            zero = pg.InfiniteLine(0.0, angle=90, pen=pg.mkPen(ZERO_COLOUR, width=1))
            bottom.addItem(zero, ignoreBounds=True)
            # Stepped ranges: live updates then rarely move the axes, which are costly to draw.
            self._ranges.append((SteppedRange(top), SteppedRange(bottom)))
            self.scatter_plots.append(top)
            self.scatters.append(scatter)
            self.diagonals.append(diagonal)
            self.histograms.append(histogram)
            # The scatters get most of the height; the histograms are a glance at the spread.
            column.ci.layout.setRowStretchFactor(0, 3)
            column.ci.layout.setRowStretchFactor(1, 2)
        self._outputs = outputs

    def _corner_label(self, plot: pg.PlotItem) -> pg.TextItem:
        """A label pinned to the top-left corner of ``plot``'s view box, where a fit has no points.

        (A plot title would do, but a title's width is a minimum width of its column, and six
        outputs' titles do not fit side by side.)
        """
        base = self.palette().color(QPalette.ColorRole.Base)
        base.setAlpha(200)
        label = pg.TextItem(color=self._text, fill=pg.mkBrush(base), anchor=(0, 0))
        label.setParentItem(plot.getViewBox())  # not addItem: it stays put when panning
        label.setPos(2, 2)
        return label

    def _build_table(self, keys: list[tuple[str, str]]) -> None:
        """One row per (split, output), every cell a read-only item filled later."""
        self.table.setRowCount(len(keys))
        for r, (split, output) in enumerate(keys):
            self.table.setItem(r, 0, read_only_item(SPLIT_LABELS[split]))
            self.table.setItem(r, 1, read_only_item(output))
            for c in range(2, len(HEADERS)):
                self.table.setItem(r, c, read_only_item("", align_right=True))
        self._table_keys = keys
        if not self._user_sized:
            self._fit_table_height()

    def _on_split_chosen(self) -> None:
        """Another split: its points decide the ranges again, even after a zoom."""
        for ranges in self._ranges:
            for stepped in ranges:
                stepped.follow()
        self._draw_split()

    def _on_splitter_moved(self, *_: object) -> None:
        self._user_sized = True

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if not self._user_sized:
            self._fit_table_height()

    def _fit_table_height(self) -> None:
        """Give the table the height of all its rows, unless the plots would get too little."""
        table = self.table
        rows = table.verticalHeader().defaultSectionSize() * table.rowCount()
        wanted = rows + table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
        total = sum(self._splitter.sizes())
        if total > 0:
            table_height = min(wanted, total // 2)
            self._splitter.setSizes([total - table_height, table_height])

    # ----- public API ---------------------------------------------------------------------
    def show_state(self, state: ViewState | None) -> None:
        """Plot the fit of ``state``'s network on its data (None: an empty view), now."""
        self._steps.run_now(self._refresh(state))

    def show_live_state(self, state: ViewState | None) -> None:
        """Like ``show_state``, but one step per event-loop turn (see the module docstring);
        a newer state, or ``show_state``, drops the steps an older one has left."""
        self._steps.start(self._refresh(state))

    def flush(self) -> None:
        """Finish a live refresh now."""
        self._steps.flush()

    def pending(self) -> bool:
        """Whether a live refresh has steps left."""
        return self._steps.pending()

    def _advance(self) -> None:
        """Take the next step of the live refresh (tests step through it by hand)."""
        self._steps.advance()

    def _refresh(self, state: ViewState | None) -> Iterator[None]:
        """The steps of one refresh: predict each split, then show the table and the plots."""
        if state is None:
            self._clear()
            return
        fits, rows = [], []
        for name in SPLITS:
            fit = split_fit(state.model, state.dataset, name)
            if fit is not None:
                fits.append(fit)
                rows.extend(fit.rows())
            yield
        self._show_fits(tuple(state.dataset.output_names), fits, rows)
        yield
        yield from self._split_drawing()  # a turn per output: each repaints only its plots

    def _clear(self) -> None:
        self._fits, self._rows = {}, []
        self.table.setRowCount(0)
        self._table_keys = []
        self._set_splits([])
        self.summary.clear()
        self._stack.setCurrentWidget(self._empty)

    def _show_fits(
        self, outputs: tuple[str, ...], fits: list[SplitFit], rows: list[dict[str, str | float]]
    ) -> None:
        """Keep ``fits`` and their metrics ``rows``; show the table and the splits offered."""
        self._fits = {fit.split: fit for fit in fits}
        self._rows = rows
        if outputs != self._outputs:
            self._build_plots(outputs)
        self._stack.setCurrentIndex(1)  # first: the table's height is fitted to the shown page
        self._fill_table()
        self._set_splits(list(self._fits))

    def table_rows(self) -> list[dict[str, str | float]]:
        """The metrics rows shown: ``core.fit.fit_table`` of the last state (keys FIT_COLUMNS).

        "split" is "train", "val" or "test" (the table says "validation"); metrics are floats.
        Empty when no state is shown.
        """
        return [dict(row) for row in self._rows]

    def current_split(self) -> str | None:
        """The split plotted: "train", "val" or "test" (None when nothing is shown)."""
        return self.split_combo.currentData()

    def set_split(self, split: str) -> None:
        """Plot ``split`` ("train", "val" or "test"); ignored if the data set lacks it."""
        i = self.split_combo.findData(split)
        if i >= 0:
            self.split_combo.setCurrentIndex(i)

    def plotted(self, output: int) -> tuple[np.ndarray, np.ndarray]:
        """The (true, predicted) points drawn in the scatter of output ``output``."""
        x, y = self.scatters[output].getData()
        return np.asarray(x), np.asarray(y)

    def histogram(self, output: int) -> tuple[np.ndarray, np.ndarray]:
        """The (edges, counts) drawn in the residual histogram of ``output`` (empty: none)."""
        if not self.histograms[output].isVisible():
            return np.empty(0), np.empty(0, dtype=np.intp)
        edges, counts = self.histograms[output].getData()
        return np.asarray(edges), np.asarray(counts)

    # ----- updating -----------------------------------------------------------------------
    def _set_splits(self, splits: list[str]) -> None:
        """Offer ``splits`` in the combo, keeping the choice (test by default)."""
        self.split_combo.setEnabled(bool(splits))
        if splits == [self.split_combo.itemData(i) for i in range(self.split_combo.count())]:
            return
        current = self.current_split()
        with QSignalBlocker(self.split_combo):
            self.split_combo.clear()
            for split in splits:
                self.split_combo.addItem(SPLIT_LABELS[split], split)
            keep = current if current in splits else "test"
            self.split_combo.setCurrentIndex(max(self.split_combo.findData(keep), 0))

    def _fill_table(self) -> None:
        keys = [(str(row["split"]), str(row["output"])) for row in self._rows]
        if keys != self._table_keys:
            self._build_table(keys)
        for r, row in enumerate(self._rows):
            for c, key in enumerate(FIT_COLUMNS[2:], start=2):
                item = self.table.item(r, c)
                assert item is not None  # _build_table made every cell
                item.setText(format_metric(float(row[key])))

    def _draw_split(self) -> None:
        """Draw the chosen split's scatters and histograms from the cached predictions."""
        for _ in self._split_drawing():
            pass

    def _split_drawing(self) -> Iterator[None]:
        """The steps of ``_draw_split``: the summary, then one output's plots per step."""
        fit = self._fits.get(self.current_split() or "")
        if fit is None:
            return
        rows = sample_rows(len(fit), MAX_POINTS)
        truth, predicted = fit.truth[rows], fit.predicted[rows]
        r2 = [float(row["r2"]) for row in self._rows if row["split"] == fit.split]
        residuals = fit.residuals
        self._show_summary(fit, len(rows))
        for j in range(len(self.scatters)):
            if j:
                yield
            self._draw_output(j, truth[:, j], predicted[:, j], residuals[:, j], r2[j])

    def _draw_output(
        self, j: int, truth: np.ndarray, predicted: np.ndarray, residuals: np.ndarray, r2: float
    ) -> None:
        ok = _drawable(predicted) & _drawable(truth)
        self.scatters[j].setData(truth[ok], predicted[ok])
        values = np.concatenate([truth[ok], predicted[ok]])
        scatter_range, histogram_range = self._ranges[j]
        if len(values):
            lo, hi = float(values.min()), float(values.max())
            self.diagonals[j].setData([lo, hi], [lo, hi])
            both = stepped_range(lo, hi)  # the same on both axes: y = x is the diagonal
            scatter_range.show(both, both)
        else:
            self.diagonals[j].setData([], [])
        edges, counts = residual_histogram(residuals[_drawable(residuals)], HIST_BINS)
        if len(counts):
            self.histograms[j].setData(edges, counts)
            histogram_range.show(
                stepped_range(float(edges[0]), float(edges[-1])),
                (0.0, nice_step_up(max(float(counts.max()), 1.0) * 1.05)),
            )
        self.histograms[j].setVisible(bool(len(counts)))
        self.r2_labels[j].setText(f"R² = {format_metric(r2)}")

    def _show_summary(self, fit: SplitFit, drawn: int) -> None:
        n = len(fit)
        parts = [f"{n:,} {SPLIT_LABELS[fit.split]} rows"]
        if drawn < n:
            parts.append(f"{drawn:,} plotted")
        bad = int(np.count_nonzero(~_drawable(fit.predicted).all(axis=1)))
        if bad:
            parts.append(f"{bad:,} rows not plotted: non-finite or huge predictions (diverged)")
        self.summary.setText(" · ".join(parts))


def _drawable(v: np.ndarray) -> np.ndarray:
    """Mask of the values a plot can show: finite and at most DRAW_LIMIT in magnitude."""
    with np.errstate(invalid="ignore"):
        return np.abs(v) <= DRAW_LIMIT  # False for NaN and ±inf too


def _style(plot: pg.PlotItem, text: QColor, bottom: str, left: str) -> None:
    """Axis pens in the palette's text colour, axis labels, a faint grid, no SI prefixes.

    Only the labelled (major) ticks, and grid lines at them: the minor ticks' grid lines made
    a change of range cost three times as much to paint (12 axes: about 40 against 13 ms),
    and the view repaints while the network trains.
    """
    for axis, label in (("bottom", bottom), ("left", left)):
        item = plot.getAxis(axis)
        item.setPen(text)
        item.setTextPen(text)
        item.enableAutoSIPrefix(False)
        item.setStyle(maxTickLevel=0)
        plot.setLabel(axis, label)
    plot.showGrid(x=True, y=True, alpha=0.2)


if __name__ == "__main__":
    from nngui.core.model import Model
    from nngui.core.presets import ARTICLE
    from nngui.core.setup import fresh_start
    from nngui.core.training import Trainer
    from nngui.gui.widgets import run_preview

    def _make() -> FitView:
        ds, net = fresh_start(ARTICLE.data, ARTICLE.layers)
        Trainer(net, ds, ARTICLE.training).run(epochs=300)
        view = FitView()
        view.show_state(ViewState(Model.from_dataset(net, ds), ds, epoch=300))
        view.resize(860, 560)
        return view

    run_preview(_make, "Fit view preview")
