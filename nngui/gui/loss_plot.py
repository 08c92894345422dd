"""The loss plot: train, validation and test loss against the epoch, on a log scale.

Curves are created once and updated with ``setData``. The full history is kept in growable
buffers (``core.training.Series``), but each curve draws a
decimated view of at most ``MAX_POINTS`` points: the minimum and maximum of every bucket of
epochs, so that spikes stay visible while a million epochs draw as fast as a thousand. When
the user zooms in, only the visible epochs are decimated, so detail comes back. Redraws are
limited to ``MAX_FPS`` per second for zooming and panning, and to ``LIVE_FPS`` while training
appends data: painting costs the GUI thread (and through the GIL, the training thread) time,
and a loss curve that grows from the right reads as smooth at six frames a second (ten cost
training about 2 % more in bench_gui.py).

While training runs (``set_live(True)``) the view grows in coarse steps, so that most frames
leave the axes alone (``plot_range``); otherwise, and after "Fit" when not training, it ends
at the last epoch. The loss axis labels decades only (``plot_range.LogTickAxis``).

A classifier's history also holds its validation and test accuracy: they are drawn dashed, in
per cent, against a second axis on the right (a ViewBox of their own whose x axis is linked to
the loss view's, as in pyqtgraph's MultiplePlotAxes example), decimated like the losses. The
axis and its curves show only while the history holds a finite accuracy.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer
from PySide6.QtGui import QPalette, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nngui.core.training import History, Series
from nngui.gui.plot_range import LogTickAxis, SteppedRange, nice_step_up, stepped_range
from nngui.gui.widgets import describe

#: Points drawn per curve at most (two per bucket: its minimum and its maximum).
MAX_POINTS = 4000
#: Redraws per second at most.
MAX_FPS = 30
#: Redraws per second at most for newly appended data.
LIVE_FPS = 6
#: (name, legend label, colour) of the three curves.
CURVES = (
    ("train", "train", "#1f77b4"),
    ("val", "validation", "#ff7f0e"),
    ("test", "test", "#2ca02c"),
)
#: (name, legend label, colour) of the accuracy curves (a classifier's), on the right axis.
ACCURACY_CURVES = (
    ("val_accuracy", "validation accuracy", "#ff7f0e"),
    ("test_accuracy", "test accuracy", "#2ca02c"),
)
#: The accuracy axis shows 0 … 100 % with this much room either side (in per cent).
ACCURACY_PADDING = 2.0
NO_VALUE = "—"
#: When not training, the view ends this fraction of the epochs (or loss) past the data.
FIT_PADDING = 0.02


def decimate(x: np.ndarray, y: np.ndarray, max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """At most about ``max_points`` points tracing the envelope of y(x), x increasing.

    Each bucket of consecutive points becomes two points at the bucket's first x: its minimum
    and its maximum (NaN ignored unless the whole bucket is NaN). The last point is always kept
    exactly, so the curve ends at the latest value.
    """
    n = len(x)
    if n <= max_points:
        return x, y
    size = math.ceil(n / max(1, (max_points - 1) // 2))
    full = n // size * size
    starts = np.arange(0, n, size)
    ys = y[:full].reshape(-1, size)
    lows = np.fmin.reduce(ys, axis=1)
    highs = np.fmax.reduce(ys, axis=1)
    if full < n:
        lows = np.append(lows, np.fmin.reduce(y[full:]))
        highs = np.append(highs, np.fmax.reduce(y[full:]))
    out_x = np.repeat(x[starts], 2)
    out_y = np.column_stack([lows, highs]).ravel()
    return np.append(out_x, x[-1]), np.append(out_y, y[-1])


def fmt_loss(v: float) -> str:
    """A loss for the readout: four significant digits, or a dash when there is none."""
    return f"{v:.4g}" if np.isfinite(v) else (NO_VALUE if np.isnan(v) else str(v))


class LossPlot(QWidget):
    """Loss curves with a legend, a crosshair readout and an auto-range button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._train = Series()
        self._eval_epochs = Series()
        self._val = Series()
        self._test = Series()
        self._val_accuracy = Series()
        self._test_accuracy = Series()
        self._live = False
        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.redraw)
        # Following the data (until the user zooms or pans): the view range is set in coarse
        # steps, so that most frames redraw only the curves, not the axes.
        self._range = SteppedRange(self.plot_item)
        vb = self.plot_item.getViewBox()
        vb.sigXRangeChanged.connect(self._on_range_changed)
        vb.sigYRangeChanged.connect(self._on_range_changed)
        self.redraw()

    # ----- construction -------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._toolbar())
        palette = self.palette()
        self.plot_widget = pg.PlotWidget(
            background=palette.color(QPalette.ColorRole.Base),
            axisItems={"left": LogTickAxis("left")},
        )
        describe(self.plot_widget, "Loss plot",
                 "Training, validation and test loss per epoch (log scale). Drag to pan, wheel "
                 "to zoom, right-click for more.")  # fmt: skip
        self.plot_item = self.plot_widget.getPlotItem()
        text = palette.color(QPalette.ColorRole.Text)
        # No SI prefix: on a log axis "(x0.001)" next to 10², 10¹ … only confuses.
        self.plot_item.getAxis("left").enableAutoSIPrefix(False)
        for axis in ("left", "bottom"):
            self.plot_item.getAxis(axis).setPen(text)
            self.plot_item.getAxis(axis).setTextPen(text)
        self.plot_item.setLabel("bottom", "epoch")
        self.plot_item.setLabel("left", "loss")
        self.plot_item.showGrid(x=True, y=True, alpha=0.2)
        self.plot_item.setLogMode(x=False, y=True)
        self.plot_item.setMouseEnabled(x=True, y=True)
        self.legend = self.plot_item.addLegend(offset=(-10, 10), labelTextColor=text)
        self.curves: dict[str, pg.PlotDataItem] = {}
        for name, label, colour in CURVES:
            self.curves[name] = self.plot_item.plot(
                [], [], name=label, pen=_pen(name, colour), connect="finite"
            )
        self._build_accuracy_axis(text)
        self._cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(text, width=1))
        self._cursor.setZValue(-10)
        self._cursor.hide()
        self.plot_item.addItem(self._cursor, ignoreBounds=True)
        self._proxy = pg.SignalProxy(
            self.plot_widget.scene().sigMouseMoved, rateLimit=MAX_FPS, slot=self._on_mouse_moved
        )
        self.plot_widget.viewport().installEventFilter(self)
        layout.addWidget(self.plot_widget, 1)

    def _build_accuracy_axis(self, text: object) -> None:
        """The right axis and the ViewBox of the accuracy curves, hidden until some accuracy
        is finite. The ViewBox lies behind the loss view, so that the mouse still zooms and
        pans the losses (the x range follows through the link)."""
        pi = self.plot_item
        self.accuracy_view = pg.ViewBox(enableMenu=False)
        self.accuracy_view.setMouseEnabled(x=False, y=False)
        self.accuracy_view.setZValue(-100)
        pi.scene().addItem(self.accuracy_view)
        pi.showAxis("right")
        axis = pi.getAxis("right")
        axis.linkToView(self.accuracy_view)
        axis.setLogMode(False, False)  # the loss axis's log mode set every axis's
        axis.setGrid(False)  # the loss axis's grid only: two would not line up
        axis.setPen(text)
        axis.setTextPen(text)
        axis.enableAutoSIPrefix(False)
        pi.setLabel("right", "accuracy (%)")
        self.accuracy_view.setXLink(pi)
        self.accuracy_view.disableAutoRange()
        self.accuracy_view.setYRange(-ACCURACY_PADDING, 100 + ACCURACY_PADDING, padding=0)
        self.accuracy_curves: dict[str, pg.PlotDataItem] = {}
        for name, _, colour in ACCURACY_CURVES:
            curve = pg.PlotDataItem([], [], pen=_pen(name, colour), connect="finite")
            self.accuracy_view.addItem(curve)
            self.accuracy_curves[name] = curve
        pi.getViewBox().sigResized.connect(self._fit_accuracy_view)
        self._fit_accuracy_view()
        self._show_accuracy(False)

    def _fit_accuracy_view(self) -> None:
        """Give the accuracy ViewBox the loss view's place (after every resize)."""
        vb = self.plot_item.getViewBox()
        self.accuracy_view.setGeometry(vb.sceneBoundingRect())
        self.accuracy_view.linkedViewChanged(vb, self.accuracy_view.XAxis)

    def _toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(6, 4, 6, 0)
        self.readout = describe(
            QLabel(), "Loss readout", "Epoch and losses under the mouse pointer."
        )
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.log_check = describe(
            QCheckBox("Log &scale"), "Logarithmic loss axis",
            "Show the loss on a logarithmic axis, where steady progress looks like a line.",
        )  # fmt: skip
        self.log_check.setChecked(True)
        self.log_check.toggled.connect(self._on_log_toggled)
        self.fit_button = describe(
            QToolButton(), "Fit to data",
            "Zoom to show the whole history and follow new epochs again.",
        )  # fmt: skip
        self.fit_button.setText("Fit")
        self.fit_button.clicked.connect(self.auto_range)
        row.addWidget(self.readout, 1)
        row.addWidget(self.log_check)
        row.addWidget(self.fit_button)
        return row

    # ----- public API ---------------------------------------------------------------------
    @property
    def epochs(self) -> int:
        """Epochs in the plotted history."""
        return len(self._train)

    def clear(self) -> None:
        """Forget the history (a fresh network)."""
        self._train, self._eval_epochs = Series(), Series()
        self._val, self._test = Series(), Series()
        self._val_accuracy, self._test_accuracy = Series(), Series()
        self.readout.clear()
        self._cursor.hide()
        self.auto_range()

    def set_history(self, h: History) -> None:
        """Show a whole history (a loaded model's), replacing the current one."""
        self._train = Series(h.train_loss.values)
        self._eval_epochs = Series(h.eval_epochs.values)
        self._val = Series(h.val_loss.values)
        self._test = Series(h.test_loss.values)
        n = len(h.eval_epochs)
        self._val_accuracy = Series(_per_evaluation(h.val_accuracy.values, n))
        self._test_accuracy = Series(_per_evaluation(h.test_accuracy.values, n))
        self.auto_range()

    def append(
        self,
        train_loss: np.ndarray,
        eval_epochs: np.ndarray,
        val_loss: np.ndarray,
        test_loss: np.ndarray,
        val_accuracy: np.ndarray | None = None,
        test_accuracy: np.ndarray | None = None,
    ) -> None:
        """Add the next epochs' training losses and any new evaluations (losses, and a
        classifier's accuracies as fractions; None: not measured); redraws soon."""
        n = len(np.asarray(eval_epochs).ravel())
        self._train.extend(train_loss)
        self._eval_epochs.extend(eval_epochs)
        self._val.extend(val_loss)
        self._test.extend(test_loss)
        self._val_accuracy.extend(_per_evaluation(val_accuracy, n))
        self._test_accuracy.extend(_per_evaluation(test_accuracy, n))
        if not self._timer.isActive():
            self._timer.start(round(1000 / LIVE_FPS))

    def data(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """The full (undecimated) curves: name → (epochs, losses)."""
        epochs = np.arange(1, len(self._train) + 1, dtype=np.float64)
        return {
            "train": (epochs, self._train.values),
            "val": (self._eval_epochs.values, self._val.values),
            "test": (self._eval_epochs.values, self._test.values),
        }

    def accuracy_data(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """The full (undecimated) accuracy curves: name → (epochs, accuracies as fractions)."""
        return {
            "val_accuracy": (self._eval_epochs.values, self._val_accuracy.values),
            "test_accuracy": (self._eval_epochs.values, self._test_accuracy.values),
        }

    @property
    def has_accuracy(self) -> bool:
        """Whether the plotted history holds a finite accuracy (a classifier's)."""
        return any(
            bool(np.isfinite(s.values).any()) for s in (self._val_accuracy, self._test_accuracy)
        )

    def history(self) -> History:
        """A copy of the plotted history as a core History."""
        return History.from_arrays({
            "train_loss": self._train.values.copy(),
            "eval_epochs": self._eval_epochs.values.copy(),
            "val_loss": self._val.values.copy(),
            "test_loss": self._test.values.copy(),
            "val_accuracy": self._val_accuracy.values.copy(),
            "test_accuracy": self._test_accuracy.values.copy(),
        })  # fmt: skip

    def set_live(self, live: bool) -> None:
        """Say whether training is running: while it is, the view range grows in steps (cheap
        repaints); otherwise the view ends at the last epoch."""
        if live == self._live:
            return
        self._live = live
        if not live and self._range.following:
            self.redraw()

    @property
    def live(self) -> bool:
        """Whether training is running (see ``set_live``)."""
        return self._live

    def auto_range(self) -> None:
        """Fit the view to the whole history and keep following it."""
        self._range.follow()
        self.redraw()

    @property
    def following(self) -> bool:
        """Whether the view follows the data (False after the user zoomed or panned)."""
        return self._range.following

    def export_png(self, path: str) -> bool:
        """Save the plot as a PNG image; returns whether it was written."""
        self.redraw()
        return self.plot_widget.grab().save(path, "PNG")

    # ----- drawing ------------------------------------------------------------------------
    def redraw(self) -> None:
        """Draw the decimated curves now (otherwise at most LIVE_FPS or MAX_FPS times a second)."""
        self._timer.stop()
        window = self._visible_epochs()
        for name, (x, y) in self.data().items():
            x, y = _window(x, y, window)
            x, y = decimate(x, y, MAX_POINTS)
            curve = self.curves[name]
            curve.setData(x, _positive(y) if self.log_check.isChecked() else y)
            curve.setVisible(bool(np.isfinite(y).any()) if len(y) else name != "val")
        self._show_legend_for_val()
        self._draw_accuracy(window)
        if self._range.following:
            self._follow()

    def _draw_accuracy(self, window: tuple[float, float] | None) -> None:
        """Draw the decimated accuracy curves (in per cent), or hide them and their axis."""
        shown = self.has_accuracy
        self._show_accuracy(shown)
        if not shown:
            for curve in self.accuracy_curves.values():
                curve.setData([], [])
            return
        for name, (x, y) in self.accuracy_data().items():
            x, y = _window(x, y, window)
            x, y = decimate(x, y, MAX_POINTS)
            curve = self.accuracy_curves[name]
            curve.setData(x, 100.0 * y)
            curve.setVisible(bool(np.isfinite(y).any()))

    def _show_accuracy(self, shown: bool) -> None:
        """Show or hide the accuracy axis, its ViewBox and its legend entries."""
        if shown != self.plot_item.getAxis("right").isVisible():
            if shown:
                self.plot_item.showAxis("right")
            else:
                self.plot_item.hideAxis("right")
        self.accuracy_view.setVisible(shown)
        present = {item.text for _, item in self.legend.items}
        for name, label, _ in ACCURACY_CURVES:
            curve = self.accuracy_curves[name]
            want = shown and bool(np.isfinite(self.accuracy_data()[name][1]).any())
            if want and label not in present:
                self.legend.addItem(curve, label)
            elif not want and label in present:
                self.legend.removeItem(label)

    def _follow(self) -> None:
        """Show every epoch and loss: while live the range grows in steps (``stepped_range``),
        otherwise it ends FIT_PADDING past the last epoch and the largest loss."""
        pad = 1.0 + FIT_PADDING
        last = max(len(self._train), 1) * pad
        x_range = (0.0, nice_step_up(last) if self._live else last)
        log = self.log_check.isChecked()
        y = np.concatenate([self._train.values, self._val.values, self._test.values])
        y = y[np.isfinite(y) & (y > 0)] if log else y[np.isfinite(y)]
        if not len(y):
            y_range = (0.0, 1.0)
        elif log:  # whole quarter decades either way: tight enough, and tidy ticks
            y_range = stepped_range(float(y.min()), float(y.max()), log=True)
        elif y.max() > 0:  # a loss is >= 0: start the axis at 0
            top = float(y.max()) * pad
            y_range = (0.0, nice_step_up(top) if self._live else top)
        else:
            y_range = (0.0, 1.0)
        self._range.show(x_range, y_range)

    def _show_legend_for_val(self) -> None:
        has_val = bool(np.isfinite(self._val.values).any()) if len(self._val) else False
        label = dict((n, lab) for n, lab, _ in CURVES)["val"]
        present = any(item.text == label for _, item in self.legend.items)
        if has_val and not present:
            self.legend.addItem(self.curves["val"], label)
        elif not has_val and present:
            self.legend.removeItem(label)

    def _visible_epochs(self) -> tuple[float, float] | None:
        """The epochs in view when the user has zoomed (None: everything is drawn)."""
        if self._range.following:
            return None
        lo, hi = self.plot_item.getViewBox().viewRange()[0]
        margin = 0.05 * (hi - lo)
        return lo - margin, hi + margin

    def _on_range_changed(self, *_: object) -> None:
        if self._range.is_setting():
            return
        self._range.stop_following()  # the user zoomed or panned: stay where they look
        if not self._timer.isActive():
            self._timer.start(round(1000 / MAX_FPS))

    def _on_log_toggled(self, on: bool) -> None:
        self.plot_item.setLogMode(x=False, y=on)
        # PlotItem.setLogMode sets every axis; the accuracy axis stays linear.
        self.plot_item.getAxis("right").setLogMode(False, False)
        self.auto_range()

    # ----- crosshair readout --------------------------------------------------------------
    def _on_mouse_moved(self, event: tuple[QPointF]) -> None:
        pos = event[0]
        vb = self.plot_item.getViewBox()
        if not len(self._train) or not vb.sceneBoundingRect().contains(pos):
            self.hide_readout()
            return
        epoch = round(vb.mapSceneToView(pos).x())
        self.show_readout(epoch)

    def hide_readout(self) -> None:
        """Hide the crosshair and clear the readout (the mouse left the plot)."""
        self._cursor.hide()
        self.readout.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Hide the readout when the mouse leaves the plot."""
        if event.type() == QEvent.Type.Leave and watched is self.plot_widget.viewport():
            self.hide_readout()
        return super().eventFilter(watched, event)

    def show_readout(self, epoch: int) -> None:
        """Show the losses at ``epoch`` (clamped to the history) in the readout line."""
        epoch = min(max(epoch, 1), len(self._train))
        self._cursor.setPos(epoch)
        self._cursor.show()
        parts = [f"epoch {epoch:,}", f"train {fmt_loss(self._train.values[epoch - 1])}"]
        i = int(np.searchsorted(self._eval_epochs.values, epoch, side="right")) - 1
        if i >= 0:
            val, test = self._val.values[i], self._test.values[i]
            at = int(self._eval_epochs.values[i])
            note = "" if at == epoch else f" (epoch {at:,})"
            if not np.isnan(val):
                parts.append(f"validation {fmt_loss(val)}")
            parts.append(f"test {fmt_loss(test)}{note}")
            for label, values in (("validation accuracy", self._val_accuracy.values),
                                  ("test accuracy", self._test_accuracy.values)):  # fmt: skip
                if np.isfinite(values[i]):
                    parts.append(f"{label} {100 * values[i]:.1f} %")
        self.readout.setText(" · ".join(parts))


def _pen(name: str, colour: str) -> QPen:
    """Solid loss pens, validation dashed, so that it stays visible where it overlaps test;
    accuracies dashed in their losses' colours (validation in longer dashes than its loss).

    One pixel wide: Qt strokes wider lines as outlines, which made live training 3-4 % slower
    in the window (bench_gui.py); the min/max envelope of decimation keeps the curves bold.
    """
    pen = pg.mkPen(colour, width=1)
    if name in ("val", "test_accuracy"):
        pen.setStyle(Qt.PenStyle.DashLine)
    elif name == "val_accuracy":
        pen.setDashPattern([8.0, 4.0])
    return pen


def _per_evaluation(values: np.ndarray | None, n: int) -> np.ndarray:
    """``values``: one float per evaluation of n; NaN ones when there are none (None, or an
    older history without them). ValueError for another number of values."""
    if values is None or (n and not len(values)):
        return np.full(n, np.nan)
    out = np.asarray(values, dtype=np.float64).ravel()
    if len(out) != n:
        raise ValueError(f"{len(out)} accuracies for {n} evaluations")
    return out


def _window(
    x: np.ndarray, y: np.ndarray, window: tuple[float, float] | None
) -> tuple[np.ndarray, np.ndarray]:
    if window is None or not len(x):
        return x, y
    lo = max(int(np.searchsorted(x, window[0])) - 1, 0)
    hi = int(np.searchsorted(x, window[1], side="right")) + 1
    return x[lo:hi], y[lo:hi]


def _positive(y: np.ndarray) -> np.ndarray:
    """Losses for a log axis: zero and negative values (impossible for a loss) become NaN."""
    return np.where(y > 0, y, np.nan)
