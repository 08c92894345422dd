"""The main window's size and place: remembered in QSettings, sensible on first start."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: Size on first start, shrunk to fit smaller screens.
DEFAULT_SIZE = (1280, 800)
GEOMETRY_KEY = "main_window/geometry"


def restore_geometry(window: QWidget) -> None:
    """Give ``window`` its remembered geometry, or DEFAULT_SIZE centred on the screen."""
    saved = QSettings().value(GEOMETRY_KEY, QByteArray(), type=QByteArray)
    if isinstance(saved, QByteArray) and saved and window.restoreGeometry(saved):
        return
    width, height = DEFAULT_SIZE
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    free = screen.availableGeometry()
    window.resize(min(width, int(free.width() * 0.95)), min(height, int(free.height() * 0.9)))
    window.move(free.center() - window.rect().center())


def remember_geometry(window: QWidget) -> None:
    """Store ``window``'s geometry for the next start."""
    QSettings().setValue(GEOMETRY_KEY, window.saveGeometry())
