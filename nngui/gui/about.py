"""Help ▸ About: what nngui is, and the versions it runs on."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import qVersion

import nngui


def about_text() -> str:
    """Help ▸ About: what nngui is, its version and those of NumPy, Qt and pyqtgraph."""
    import pyqtgraph
    import PySide6

    return (
        f"<b>nngui {nngui.__version__}</b><br>Build, train and understand small neural "
        "networks whose engine is pure NumPy.<br><br>"
        f"NumPy {np.__version__} · PySide6 {PySide6.__version__} (Qt {qVersion()}) · "
        f"pyqtgraph {pyqtgraph.__version__}"
    )
