"""What both maps share: the plot (an image over two inputs, a dashed training-range outline
and a colour bar, in the palette's text colour) and the readout under it."""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from nngui.gui.widgets import describe

COLOUR_MAP = "viridis"


@dataclass
class HeatMap:
    """The parts of a map's plot."""

    widget: pg.PlotWidget
    item: pg.PlotItem
    image: pg.ImageItem
    outline: pg.PlotCurveItem
    colour_bar: pg.ColorBarItem
    text_colour: QColor


def map_readout(name: str, tip: str) -> QLabel:
    """The selectable one-line readout under a map (what the pointer is over)."""
    readout = describe(QLabel(), name, tip)
    readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    readout.setContentsMargins(6, 0, 6, 4)
    return readout


def heat_map(owner: QWidget, name: str, tip: str, label: str = "") -> HeatMap:
    """A map plot for ``owner`` (its palette), with accessible name ``name`` and tooltip
    ``tip``; the colour bar titled ``label``."""
    palette = owner.palette()
    widget = pg.PlotWidget(background=palette.color(QPalette.ColorRole.Base))
    describe(widget, name, tip)
    item = widget.getPlotItem()
    text = palette.color(QPalette.ColorRole.Text)
    for axis in ("left", "bottom"):
        item.getAxis(axis).setPen(text)
        item.getAxis(axis).setTextPen(text)
    image = pg.ImageItem(axisOrder="row-major")
    item.addItem(image)
    outline = pg.PlotCurveItem(pen=pg.mkPen("w", width=2, style=Qt.PenStyle.DashLine))
    item.addItem(outline)
    colour_bar = pg.ColorBarItem(colorMap=COLOUR_MAP, width=18, label=label)
    colour_bar.setImageItem(image, insert_in=item)
    for axis in ("left", "right"):
        colour_bar.getAxis(axis).setPen(text)
        colour_bar.getAxis(axis).setTextPen(text)
    return HeatMap(widget, item, image, outline, colour_bar, text)
