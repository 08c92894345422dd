"""Shared widgets: wrapped labels keep the height their text needs; tables fit their columns."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSpinBox, QVBoxLayout, QWidget

from nngui.gui.widgets import WARNING_STYLE, FitTable, WrappedLabel, hint_label

LONG_TEXT = "A long warning that needs several lines when its column is narrow. " * 3


def test_a_wrapped_label_asks_for_the_height_its_lines_need(qtbot):
    label = WrappedLabel(LONG_TEXT)
    qtbot.addWidget(label)
    label.resize(150, 20)
    assert label.minimumSizeHint().height() >= label.heightForWidth(150)
    label.resize(600, 20)
    assert label.minimumSizeHint().height() < label.heightForWidth(150)


def test_a_wrapped_label_counts_all_its_lines_in_its_parents_minimum(qtbot):
    """Parents that size by the minimum (splitters) then leave room for every line."""
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    spin = QSpinBox()
    label = hint_label(LONG_TEXT, keep_height=True)
    layout.addWidget(spin)
    layout.addWidget(label)
    holder.resize(160, 400)
    holder.show()
    qtbot.waitExposed(holder)
    qtbot.wait(20)
    needed = spin.sizeHint().height() + label.heightForWidth(label.width())
    assert holder.minimumSizeHint().height() >= needed


def test_hint_label_keeps_its_old_kinds():
    assert type(hint_label("x")) is QLabel
    assert hint_label("x").styleSheet() == WARNING_STYLE
    assert isinstance(hint_label("x", keep_height=True), WrappedLabel)


def test_columns_shrink_to_their_widest_cell_but_not_below_the_floor(qtbot):
    table = FitTable(min_column=200)
    qtbot.addWidget(table)
    table.fill(["x", "a long header"], [["1", "2"], ["123456789", "3"]])
    table.shrink_columns_to_contents(floor=10)
    widest = max(table.sizeHintForColumn(0), table.sizeHintForColumn(1))
    minimum = table.horizontalHeader().minimumSectionSize()
    assert widest <= minimum < 200
    table.shrink_columns_to_contents(floor=150)
    assert table.horizontalHeader().minimumSectionSize() == 150
