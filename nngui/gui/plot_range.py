"""View ranges that follow live data in steps, so that plots repaint cheaply while training.

pyqtgraph's auto-range moves a plot's range a little on every update; every move makes the axes
recompute and redraw their ticks and labels, which costs more than drawing the data. A
``SteppedRange`` instead sets the range itself and changes it only when the data leaves it, to
the next "nice" bounds: most frames redraw the curves and nothing else. It stops following as
soon as the user zooms or pans that plot, and follows again after ``follow()`` or a click on
pyqtgraph's "A" (auto-range) button.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

Range = tuple[float, float]


def nice_step_up(v: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 5, 7.5 × 10^k that is >= v (v > 0)."""
    exponent = math.floor(math.log10(v))
    for m in (1.0, 1.5, 2.0, 3.0, 5.0, 7.5, 10.0):
        if m * 10.0**exponent >= v * (1 - 1e-12):
            return m * 10.0**exponent
    return 10.0 ** (exponent + 1)  # pragma: no cover - the loop ends at 10


def stepped_range(lo: float, hi: float, log: bool = False) -> Range:
    """A range holding [lo, hi] whose bounds move only in steps as the data moves.

    Log axis (values are positive; the range is in log10 units, as pyqtgraph's view is): whole
    quarter decades. Linear axis: multiples of half the power of ten below the data's width
    (a width of 180 gives multiples of 50), so small changes of the data keep the range.
    """
    if log:
        bottom = math.floor(math.log10(lo) * 4) / 4
        top = max(math.ceil(math.log10(hi) * 4) / 4, bottom + 0.25)
        return bottom, top
    if hi <= lo:  # a single value: show a little around it
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    unit = 10.0 ** math.floor(math.log10(hi - lo)) / 2
    return math.floor(lo / unit) * unit, math.ceil(hi / unit) * unit


def cache_axes(plot: pg.PlotItem) -> None:
    """Let Qt keep ``plot``'s axes as pixmaps, repainted only when their range changes."""
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


class SteppedRange:
    """Keeps ``plot``'s range on the stepped bounds of the data shown (see the module)."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.plot = plot
        cache_axes(plot)  # the axes change only with the range: most frames blit them
        self.following = True
        self._setting = False
        vb = plot.getViewBox()
        vb.disableAutoRange()
        vb.sigRangeChangedManually.connect(self._on_user_range)
        plot.autoBtn.clicked.connect(self.follow)  # after pyqtgraph's own handler

    def show(self, x_range: Range, y_range: Range) -> None:
        """Set the view to these ranges (view units) when following and they differ."""
        if not self.following:
            return
        vb = self.plot.getViewBox()
        (x0, x1), (y0, y1) = vb.viewRange()
        if (x0, x1) == tuple(x_range) and (y0, y1) == tuple(y_range):
            return
        self._setting = True
        try:
            vb.setRange(xRange=x_range, yRange=y_range, padding=0)
        finally:
            self._setting = False

    def follow(self) -> None:
        """Follow the data again (the next ``show`` sets the range)."""
        self.following = True
        self.plot.getViewBox().disableAutoRange()

    def stop_following(self) -> None:
        """Leave the range where it is until ``follow``."""
        self.following = False

    def is_setting(self) -> bool:
        """Whether the range is being changed by ``show`` (not by the user)."""
        return self._setting

    def _on_user_range(self, *_: object) -> None:
        self.following = False
