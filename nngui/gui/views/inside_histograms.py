"""Per-layer histograms of weights and of activations, with each layer's dead relu units.

One row of two plots per layer: the layer's weights, and its activations over (at most 2,000
of) the training rows. Plot items are created once per architecture and updated with
``setData``; the dead-unit counts are written as text in the plot titles and in a summary line.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from nngui.core.layer_stats import Histogram, LayerStats, dead_text
from nngui.gui.widgets import describe

#: Height of one layer's row of plots, in pixels.
ROW_HEIGHT = 150
#: Width of the count axis, in pixels.
AXIS_WIDTH = 52
WEIGHT_COLOUR = (31, 119, 180)
ACTIVATION_COLOUR = (44, 160, 44)


class HistogramsPanel(QWidget):
    """Histograms of every layer's weights and activations, and its dead relu units."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._structure: tuple[tuple[int, str], ...] | None = None
        self.weight_plots: list[pg.PlotItem] = []
        self.activation_plots: list[pg.PlotItem] = []
        self.weight_curves: list[pg.PlotDataItem] = []
        self.activation_curves: list[pg.PlotDataItem] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = describe(
            QLabel(), "Dead units",
            "A relu unit is dead when its output is 0 for every training row: it passes no "
            "gradient back, so gradient descent cannot bring it back to life.",
        )  # fmt: skip
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground(self.palette().color(QPalette.ColorRole.Base))
        describe(self.plots, "Layer histograms",
                 "Left: how a layer's weights are spread. Right: how its activations are "
                 "spread over the training rows. Drag to pan, wheel to zoom.")  # fmt: skip
        scroll = QScrollArea()
        scroll.setWidget(self.plots)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(scroll, 1)

    def show_stats(self, stats: list[LayerStats] | None, rows: int = 0) -> None:
        """Show ``stats`` (one per layer), computed over ``rows`` rows; None clears."""
        if not stats:
            self._rebuild(())
            self.summary.setText("")
            return
        structure = tuple((s.units, s.activation) for s in stats)
        if structure != self._structure:
            self._rebuild(structure)
        style = {"size": "9pt", "color": self.palette().color(QPalette.ColorRole.Text).name()}
        for s, wp, ap, wc, ac in zip(
            stats, self.weight_plots, self.activation_plots,
            self.weight_curves, self.activation_curves, strict=True,
        ):  # fmt: skip
            _set_histogram(wc, s.weights)
            _set_histogram(ac, s.activations)
            n_weights = s.weights.total + s.weights.non_finite
            wp.setTitle(f"Layer {s.layer} · {n_weights:,} weights{_bad(s.weights)}", **style)
            dead = f" · {dead_text(s)}" if s.dead is not None else ""
            ap.setTitle(
                f"Layer {s.layer} · {s.activation} activations{dead}{_bad(s.activations)}",
                **style,
            )
        self.summary.setText(_summary(stats, rows))

    def _rebuild(self, structure: tuple[tuple[int, str], ...]) -> None:
        self.plots.clear()
        self.weight_plots, self.activation_plots = [], []
        self.weight_curves, self.activation_curves = [], []
        text = self.palette().color(QPalette.ColorRole.Text)
        for row in range(len(structure)):
            for col, (plots, curves, colour) in enumerate((
                (self.weight_plots, self.weight_curves, WEIGHT_COLOUR),
                (self.activation_plots, self.activation_curves, ACTIVATION_COLOUR),
            )):  # fmt: skip
                plot = self.plots.addPlot(row=row, col=col)
                for axis in ("left", "bottom"):
                    plot.getAxis(axis).setPen(text)
                    plot.getAxis(axis).setTextPen(text)
                    plot.getAxis(axis).enableAutoSIPrefix(False)
                plot.getAxis("left").setWidth(AXIS_WIDTH)  # room for counts up to 999,999
                plot.setMouseEnabled(x=True, y=False)
                plot.hideButtons()
                curve = pg.PlotDataItem(
                    [0.0, 1.0], [0.0], stepMode="center", fillLevel=0,
                    brush=(*colour, 120), pen=pg.mkPen(colour, width=1),
                )  # fmt: skip
                plot.addItem(curve)
                plots.append(plot)
                curves.append(curve)
        self.plots.setMinimumHeight(ROW_HEIGHT * len(structure))
        self._structure = structure


def _set_histogram(curve: pg.PlotDataItem, h: Histogram) -> None:
    curve.setData(h.edges, h.counts.astype(np.float64))


def _bad(h: Histogram) -> str:
    return f" · {h.non_finite:,} not finite" if h.non_finite else ""


def _summary(stats: list[LayerStats], rows: int) -> str:
    """One sentence on the dead relu units of every hidden relu layer."""
    parts = [f"layer {s.layer}: {dead_text(s)}" for s in stats if s.dead is not None]
    if not parts:
        return "No hidden relu layers, so no unit can die (activations over the training rows)."
    return f"Dead relu units over {rows:,} training rows: " + "; ".join(parts) + "."
