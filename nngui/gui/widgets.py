"""Small shared helpers for the panels: described spin boxes, hint labels and previews.

Every control in nngui gets a tooltip (what it does, for the mouse user) and an accessible name
(what it is, for screen readers); ``describe`` sets both so no control forgets one.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLayoutItem,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from nngui.gui.number_box import FloatBox, IntBox

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
    spin: IntBox | FloatBox,
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
    low: int,
    high: int,
    value: int,
    *,
    name: str,
    tip: str,
    suffix: str = "",
    special: str = "",
    live: bool = False,
) -> IntBox:
    """An integer box with thousands grouping; ``special`` is shown for the minimum.

    It takes what is typed when the edit is finished (Return, or leaving the box), or with
    ``live`` at every keystroke that makes a valid number; text it cannot hold is kept and
    refused visibly (see ``number_box``).
    """
    spin = IntBox(live=live)
    _set_up_spin(spin, low, high, value, suffix, special)
    return describe(spin, name, tip)


def float_spin(
    low: float,
    high: float,
    value: float,
    *,
    name: str,
    tip: str,
    step: float | None = None,
    suffix: str = "",
    special: str = "",
    live: bool = False,
) -> FloatBox:
    """A float box that holds and shows every digit typed and takes scientific notation.

    Without ``step`` it steps adaptively (by about a tenth of the value). Edits are taken as
    in ``int_spin``.
    """
    spin = FloatBox(live=live)
    _set_up_spin(spin, low, high, value, suffix, special)
    if step is None:
        spin.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
    else:
        spin.setSingleStep(step)
    return describe(spin, name, tip)


class WrappedLabel(QLabel):
    """A word-wrapped label that never gets less height than its text needs at its width.

    Layouts size a wrapped QLabel from a guessed width, and a splitter ignores height-for-width
    altogether; when the real width is narrower the text needs more lines, and the layout then
    squeezes the label's neighbours instead. This label reports the height its text needs at
    its current width as its minimum, so the parent grows (or scrolls) instead.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().minimumSizeHint()
        if self.width() <= 0:
            return hint
        return QSize(hint.width(), max(hint.height(), self.heightForWidth(self.width())))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # a new width may need another number of lines


def hint_label(text: str = "", *, warning: bool = True, keep_height: bool = False) -> QLabel:
    """A word-wrapped label for inline hints; warning hints are shown in a warning colour.

    ``keep_height`` makes it a WrappedLabel, whose neighbours are never squeezed by its lines.
    """
    label = WrappedLabel(text) if keep_height else QLabel(text)
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
        self.setTabKeyNavigation(False)  # Tab leaves the table (arrows move within it)
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

    def shrink_columns_to_contents(self, floor: int = 24) -> None:
        """Let the columns narrow down to their widest cell or header (at least ``floor`` px).

        Call after ``fill``. Columns still share the width equally; the scroll bar appears only
        when even columns that narrow do not fit.
        """
        header = self.horizontalHeader()
        header.setMinimumSectionSize(floor)  # the header's size hints never go below it
        widths = [
            max(self.sizeHintForColumn(c), header.sectionSizeHint(c))
            for c in range(self.columnCount())
        ]
        header.setMinimumSectionSize(max([floor, *widths]))
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


class FlowLayout(QLayout):
    """Lays its items out left to right and wraps onto more rows when the width runs out.

    For tool rows above plots: on a wide view one row, on a narrow one two, so the controls
    never force the window wider. Add a group of controls that belong together as one item
    (``add_group``) so they wrap as a unit.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 12) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing

    def add_group(self, *widgets: QWidget, spacing: int = 6) -> QWidget:
        """Add ``widgets`` side by side as one unit that wraps as a whole; returns its holder."""
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(spacing)
        for w in widgets:
            row.addWidget(w)
        self.addWidget(holder)
        return holder

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt override)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt override)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt override)
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt override)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt override)
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hints = [item.sizeHint() for item in self._items]
        width = sum(h.width() for h in hints) + self._gap * max(0, len(hints) - 1)
        height = max((h.height() for h in hints), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt override)
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place the items (if ``move``) and return the height they need at this width."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, row_height = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, row_height = area.x(), y + row_height + self._gap // 2, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y() + m.bottom()


def align_form_labels(*forms: QFormLayout) -> None:
    """Give every label of ``forms`` the same width, so fields line up across group boxes."""
    labels: list[QWidget] = []
    for form in forms:
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and (label := item.widget()) is not None:
                labels.append(label)
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)


#: Set (to milliseconds) to make a preview close itself, as the test of the previews does.
PREVIEW_QUIT_ENV = "NNGUI_PREVIEW_QUIT_MS"


def run_preview(make: Callable[[], QWidget], title: str) -> None:
    """Show one panel on its own (the panels' ``__main__`` blocks use this).

    With ``NNGUI_PREVIEW_QUIT_MS`` set, the preview closes itself after that many milliseconds.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    widget = make()
    widget.setWindowTitle(title)
    widget.show()
    quit_after = os.environ.get(PREVIEW_QUIT_ENV, "")
    if quit_after.isdigit():
        QTimer.singleShot(int(quit_after), app.quit)
    sys.exit(app.exec())


def scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless vertical scroll area (panels taller than small screens)."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


def share_boxes(rows: str) -> tuple[FloatBox, FloatBox]:
    """The training and validation share boxes of a split (in per cent) of ``rows``."""
    train = float_spin(
        5.0, 95.0, 70.0, name="Training share", step=5.0, suffix=" %",
        tip=f"Leading share of the {rows} used to fit the network, from 5 to 95 %; the rest "
        "is the test set.",
    )  # fmt: skip
    val = float_spin(
        0.0, 50.0, 0.0, name="Validation share", step=5.0, suffix=" %",
        tip="Trailing share of the training part held out to watch for overfitting "
        "(needed for early stopping), from 0 to 50 %. 0 = no validation set.",
    )  # fmt: skip
    val.setSpecialValueText("None")
    return train, val
