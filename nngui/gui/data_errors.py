"""Edits that need data which cannot be read any more (a CSV file moved or deleted).

An edit that starts a new network reads the data first; when that fails the workbench changes
nothing and raises. ``refusing_unreadable`` turns that into a message box saying what was
wrong and what to do, for the panels and actions whose edits start new networks.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from nngui.core.csv_dialect import CsvError

#: What reading the data raises: the file's own problems, or the system's.
UNREADABLE = (CsvError, OSError)


def warn_unreadable(parent: QWidget | None, error: BaseException) -> None:
    """Say that the data could not be read, why, and what to do."""
    QMessageBox.warning(
        parent, "Cannot read the data",
        f"{' '.join(str(error).split())}\n\nNothing was changed. Open the data file where it is "
        "now (Data ▸ Open CSV…), or choose the article's formulas as the source.",
    )  # fmt: skip


def refusing_unreadable(parent: QWidget | None, edit: Callable[[], object]) -> bool:
    """Run ``edit``; False (after saying why) when the data it needs cannot be read."""
    try:
        edit()
    except UNREADABLE as exc:
        warn_unreadable(parent, exc)
        return False
    return True
