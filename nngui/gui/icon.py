"""The application icon, for the QApplication and every top-level window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

ICON_PATH = Path(__file__).resolve().parent.parent / "resources" / "icon.png"


def app_icon() -> QIcon:
    """The application icon (a small network), or an empty icon if the file is missing."""
    return QIcon(str(ICON_PATH)) if ICON_PATH.exists() else QIcon()
