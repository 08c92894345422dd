"""SettingsGuard: which spin box counts as being typed into. (Its questions and reverts are
driven through the whole window in test_main_window_edits.py.)"""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox, QVBoxLayout, QWidget

from nngui.gui.settings_guard import typing_box


def test_typing_box_is_the_focused_spin_box_with_typed_text(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    first, second = QSpinBox(), QSpinBox()
    layout.addWidget(first)
    layout.addWidget(second)
    qtbot.addWidget(window)
    window.show()
    first.setFocus()
    assert typing_box(window) is None, "focused, but nothing typed"
    qtbot.keyClicks(first, "7")
    assert typing_box(window) is first
    first.setValue(3)  # set by the program: no longer being typed
    assert typing_box(window) is None
    second.setFocus()
    qtbot.keyClicks(second, "4")
    assert typing_box(window) is second
