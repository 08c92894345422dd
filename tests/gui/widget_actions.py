"""What a person does to widgets, for GUI tests: find a control by the name a screen reader
reads out, click a button, type into a spin box."""

from __future__ import annotations

from typing import TypeVar, overload

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QStackedWidget,
    QWidget,
)

from nngui.gui.views.base import PAGES

W = TypeVar("W", bound=QWidget)


@overload
def named(root: QWidget, name: str) -> QWidget: ...
@overload
def named(root: QWidget, name: str, kind: type[W]) -> W: ...
def named(root: QWidget, name: str, kind: type[QWidget] = QWidget) -> QWidget:
    """The one descendant of ``root`` (shown or hidden) whose accessible name is ``name``.

    Fails, listing the names there are, unless exactly one widget has that name, and unless it
    is a ``kind``.
    """
    found = [w for w in root.findChildren(QWidget) if w.accessibleName() == name]
    if len(found) != 1:
        names = sorted({w.accessibleName() for w in root.findChildren(QWidget)} - {""})
        raise AssertionError(
            f"{len(found)} widgets named {name!r} in {type(root).__name__}"
            f"{' (' + ', '.join(map(repr, found)) + ')' if found else ''}; names there: "
            + ", ".join(map(repr, names))
        )
    widget = found[0]
    if not isinstance(widget, kind):
        raise AssertionError(f"{name!r} is a {type(widget).__name__}, not a {kind.__name__}")
    return widget


def button(root: QWidget, name: str) -> QAbstractButton:
    """The button (push, tool or check) named ``name`` in ``root``."""
    return named(root, name, QAbstractButton)


def box(root: QWidget, name: str) -> QAbstractSpinBox:
    """The number box named ``name`` in ``root``."""
    return named(root, name, QAbstractSpinBox)


def combo(root: QWidget, name: str) -> QComboBox:
    """The drop-down list named ``name`` in ``root``."""
    return named(root, name, QComboBox)


def group(root: QWidget, title: str) -> QGroupBox:
    """The one group box titled ``title`` (its shown title, mnemonic ``&`` left out)."""
    found = [g for g in root.findChildren(QGroupBox) if g.title().replace("&", "") == title]
    assert len(found) == 1, f"{len(found)} group boxes titled {title!r}"
    return found[0]


def pages(view: QWidget) -> QStackedWidget:
    """A view's page stack: page 0 says why the view is empty, page 1 shows its content."""
    found = view.findChild(QStackedWidget, PAGES)
    assert found is not None, f"{type(view).__name__} has no page stack"
    return found


def click(qtbot, button: QAbstractButton) -> None:
    """Left-click ``button``."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_into(qtbot, spin: QAbstractSpinBox, text: str) -> None:
    """Replace ``spin``'s text by typing ``text``, then press Return."""
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)
