"""Small shared helpers for the panels: described spin boxes, hint labels and previews.

Every control in nngui gets a tooltip (what it does, for the mouse user) and an accessible name
(what it is, for screen readers); ``describe`` sets both so no control forgets one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QDoubleSpinBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

W = TypeVar("W", bound=QWidget)

#: A warning look that reads on light and dark palettes alike.
WARNING_STYLE = (
    "QLabel { color: #5c3b00; background: #fff1c2; border: 1px solid #d9a400;"
    " border-radius: 3px; padding: 3px 6px; }"
)


def describe(widget: W, name: str, tip: str) -> W:
    """Give ``widget`` an accessible name and a tooltip; returns the widget for chaining."""
    widget.setAccessibleName(name)
    widget.setToolTip(tip)
    return widget


def _set_up_spin(
    spin: QSpinBox | QDoubleSpinBox,
    low: float,
    high: float,
    value: float,
    suffix: str,
    special: str,
) -> None:
    """What every spin box here shares: range, value, grouping, suffix, special text, alignment."""
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setGroupSeparatorShown(True)
    spin.setSuffix(suffix)
    spin.setSpecialValueText(special)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)


def int_spin(
    low: int, high: int, value: int, *, name: str, tip: str, suffix: str = "", special: str = ""
) -> QSpinBox:
    """An integer spin box with thousands grouping; ``special`` is shown for the minimum."""
    spin = QSpinBox()
    _set_up_spin(spin, low, high, value, suffix, special)
    spin.setKeyboardTracking(True)
    return describe(spin, name, tip)


def float_spin(
    low: float,
    high: float,
    value: float,
    decimals: int,
    *,
    name: str,
    tip: str,
    step: float | None = None,
    suffix: str = "",
    special: str = "",
) -> QDoubleSpinBox:
    """A float spin box; without ``step`` it steps adaptively (by about a tenth of the value)."""
    spin = QDoubleSpinBox()
    spin.setDecimals(decimals)  # before the range and value, which it rounds
    _set_up_spin(spin, low, high, value, suffix, special)
    if step is None:
        spin.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
    else:
        spin.setSingleStep(step)
    return describe(spin, name, tip)


def hint_label(text: str = "", *, warning: bool = True) -> QLabel:
    """A word-wrapped label for inline hints; warning hints are shown in a warning colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    if warning:
        label.setStyleSheet(WARNING_STYLE)
    else:  # a quiet note: the palette's secondary text colour
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def read_only_item(text: str, *, align_right: bool = False) -> QTableWidgetItem:
    """A table cell the user can select and copy but not edit."""
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class FitTable(QTableWidget):
    """A read-only table exactly as tall as its rows, plus a scroll bar when columns overflow.

    Columns share the width (each at least ``min_column`` pixels); the table never scrolls
    vertically, so a short summary table shows every row without a gap below it.
    """

    def __init__(self, min_column: int = 60, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        header = self.horizontalHeader()
        header.setMinimumSectionSize(min_column)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setAlternatingRowColors(True)

    def fill(self, headers: list[str], rows: list[list[str]], right_from: int = 0) -> None:
        """Show ``rows`` of text under ``headers``; columns from ``right_from`` align right."""
        self.clearContents()
        self.setColumnCount(len(headers))
        self.setRowCount(len(rows))
        self.setHorizontalHeaderLabels(headers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.setItem(r, c, read_only_item(text, align_right=c >= right_from))
        self.resizeRowsToContents()
        self.updateGeometry()

    def _fit_width(self) -> int:
        """Width that shows every column at its minimum without a scroll bar."""
        columns = self.columnCount() * self.horizontalHeader().minimumSectionSize()
        header = self.verticalHeader()
        return (
            columns
            + (header.sizeHint().width() if header.isVisible() else 0)
            + 2 * (self.frameWidth())
        )

    def _fit_height(self) -> int:
        height = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) for r in range(self.rowCount()))
        if self._fit_width() > self.width():
            height += self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return height

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(max(super().sizeHint().width(), self._fit_width()), self._fit_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(super().minimumSizeHint().width(), self._fit_height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self.height() != self._fit_height():
            self.updateGeometry()


def align_form_labels(*forms: QFormLayout) -> None:
    """Give every label of ``forms`` the same width, so fields line up across group boxes."""
    labels = []
    for form in forms:
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and item.widget() is not None:
                labels.append(item.widget())
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)


def run_preview(make: Callable[[], QWidget], title: str) -> None:
    """Show one panel on its own (the panels' ``__main__`` blocks use this)."""
    app = QApplication.instance() or QApplication(sys.argv)
    widget = make()
    widget.setWindowTitle(title)
    widget.show()
    sys.exit(app.exec())
