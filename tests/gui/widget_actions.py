"""What a person does to widgets, for GUI tests: click a button, type into a spin box."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox


def click(qtbot, button: QAbstractButton) -> None:
    """Left-click ``button``."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_into(qtbot, spin: QAbstractSpinBox, text: str) -> None:
    """Replace ``spin``'s text by typing ``text``, then press Return."""
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)
