"""Qt widgets: the main window and its panels.

``from nngui.gui import MainWindow`` works, but the window (and with it pyqtgraph) is imported
only when first asked for, so that importing a single panel stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nngui.gui.main_window import MainWindow

__all__ = ["MainWindow"]


def __getattr__(name: str) -> Any:
    if name == "MainWindow":
        from nngui.gui.main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module 'nngui.gui' has no attribute {name!r}")
