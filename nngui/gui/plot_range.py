"""View ranges that follow live data in steps, and readable ticks for log axes.

pyqtgraph's auto-range moves a plot's range a little on every update; every move makes the axes
recompute and redraw their ticks and labels, which costs more than drawing the data. A
``SteppedRange`` instead sets the range itself and changes it only when the data leaves it, to
the next "nice" bounds: most frames redraw the curves and nothing else. It stops following as
soon as the user zooms or pans that plot, and follows again after ``follow()`` or a click on
pyqtgraph's "A" (auto-range) button.

On a log axis pyqtgraph labels every minor tick (2, 3, … 9 × 10ᵏ) when few decades show, in
two styles at once ("0.0001" beside "10⁻⁵"). ``LogTickAxis`` labels the decades only (and 2
and 5 × 10ᵏ when less than two decades show), all in one style: ``log_tick_label``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

Range = tuple[float, float]
#: (spacing, values) of one level of ticks, as pyqtgraph's ``AxisItem.tickValues`` returns.
TickLevel = tuple[float | None, list[float]]
#: Pixels per labelled tick of a log axis at least; minor ticks are drawn when a decade has
#: at least MINOR_PIXELS pixels.
LABEL_PIXELS = 30.0
MINOR_PIXELS = 40.0
SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


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


def log_ticks(lo: float, hi: float, size: float) -> list[TickLevel]:
    """The ticks of a log axis showing 10^lo … 10^hi (log10 units) over ``size`` pixels.

    Three levels, values in log10 units: 0, labelled: the decades (every 2nd, 5th, 10th, …
    when there are more than one per LABEL_PIXELS); 1, labelled: 2 and 5 × 10ᵏ when less than
    two decades show, or more when fewer than two labels would show; 2, unlabelled: the other
    decades, or 2 … 9 × 10ᵏ when a decade is at least MINOR_PIXELS high.
    """
    lo, hi = sorted((lo, hi))
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi - lo <= 0:
        return []
    max_labels = max(2, int(size // LABEL_PIXELS))
    decades = list(range(math.ceil(lo - 1e-9), math.floor(hi + 1e-9) + 1))
    every = _label_every(len(decades), max_labels)
    labelled = [float(d) for d in decades if d % every == 0]
    between: list[float] = []
    if every == 1 and hi - lo < 2:
        between = _mantissa_ticks(lo, hi, (2, 5))
        if len(labelled) + len(between) > max_labels:
            between = []
    if len(labelled) + len(between) < 2:
        between = _mantissa_ticks(lo, hi, range(2, 10))
    if len(labelled) + len(between) < 2:  # deep zoom: evenly spaced values, no minor ticks
        return [(1.0, []), (None, _linear_ticks(lo, hi, max_labels)), (None, [])]
    shown = set(labelled) | set(between)
    minor: list[float] = []
    if every > 1 and size / (hi - lo) >= 4:
        minor = [float(d) for d in decades if float(d) not in shown]
    elif size / (hi - lo) >= MINOR_PIXELS:
        minor = [v for v in _mantissa_ticks(lo, hi, range(2, 10)) if v not in shown]
    return [(1.0, labelled), (None, between), (None, minor)]


def _label_every(count: int, max_labels: int) -> int:
    """The first of 1, 2, 5, 10, 20, 50 … that labels at most ``max_labels`` of ``count``."""
    every, multiples = 1, itertools.cycle((2, 2.5, 2))  # 1 → 2 → 5 → 10 → 20 …
    while math.ceil(count / every) > max_labels:
        every = round(every * next(multiples))
    return every


def _mantissa_ticks(lo: float, hi: float, mantissas: Sequence[int]) -> list[float]:
    """log10(m × 10ᵏ) for every m in ``mantissas`` and decade k, inside [lo, hi]."""
    values = (
        k + math.log10(m) for k in range(math.floor(lo), math.ceil(hi) + 1) for m in mantissas
    )
    return [v for v in values if lo <= v <= hi]


def _linear_ticks(lo: float, hi: float, max_labels: int) -> list[float]:
    """Values 1, 2 or 5 × 10ᵏ apart between 10^lo and 10^hi, in log10 units."""
    a, b = 10.0**lo, 10.0**hi
    wanted = (b - a) / min(max_labels, 5)
    power = 10.0 ** math.floor(math.log10(wanted))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= wanted * (1 - 1e-12))
    first, last = math.ceil(a / step), math.floor(b / step)
    return [math.log10(k * step) for k in range(first, last + 1) if k > 0]


def log_tick_label(v: float) -> str:
    """The label of 10^v: "0.1", "2", "50" for 0.1 ≤ 10^v < 100, else "10⁻⁵" or "2·10⁻⁵".

    As few significant digits as the value needs (up to eight); "" for non-finite ``v``.
    """
    if not math.isfinite(v):
        return ""
    x = 10.0**v
    for digits in range(1, 9):
        text = f"{x:.{digits - 1}e}"
        if math.isclose(float(text), x, rel_tol=1e-9):
            break
    mantissa, exponent = text.split("e")
    e = int(exponent)
    if -1 <= e <= 1:
        return f"{float(text):.{max(0, digits - 1 - e)}f}"
    power = "10" + str(e).translate(SUPERSCRIPTS)
    return power if mantissa == "1" else f"{mantissa}·{power}"


class LogTickAxis(pg.AxisItem):
    """An axis whose log mode shows ``log_ticks`` labelled by ``log_tick_label``."""

    def __init__(self, orientation: str, **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self.setStyle(maxTextLevel=1)  # level 2 (minor ticks) has no labels

    def logTickValues(  # noqa: N802 (pyqtgraph's name)
        self,
        minVal: float,
        maxVal: float,
        size: float,
        stdTicks: list,
    ) -> list[TickLevel]:
        """The ticks of the range minVal … maxVal (log10 units) over ``size`` pixels."""
        return log_ticks(minVal, maxVal, size)

    def logTickStrings(  # noqa: N802 (pyqtgraph's name)
        self, values: list[float], scale: float, spacing: float | None
    ) -> list[str]:
        """One style of label for every tick (values in log10 units, times ``scale``)."""
        shift = math.log10(scale) if scale > 0 else 0.0
        return [log_tick_label(v + shift) for v in values]


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
        # Disabling a pending auto-range (after a log-mode switch) moves the view: not the user.
        self._setting = True
        try:
            self.plot.getViewBox().disableAutoRange()
        finally:
            self._setting = False
        self.following = True

    def stop_following(self) -> None:
        """Leave the range where it is until ``follow``."""
        self.following = False

    def is_setting(self) -> bool:
        """Whether the range is being changed by ``show`` (not by the user)."""
        return self._setting

    def _on_user_range(self, *_: object) -> None:
        self.following = False
