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
#: The command line's options that the core's messages name, as the window's controls.
WINDOW_WORDS = (
    ("give the file's encoding (--encoding), e.g.", "choose the file's encoding (Encoding), e.g."),
    ("give the file's encoding (--encoding)", "choose the file's encoding (Encoding)"),
    ("give --decimal ,", "choose the decimal comma (Decimal mark)"),
    ("--missing inf", "add inf to Also missing"),
    ("--missing -inf", "add -inf to Also missing"),
    ("; if it moved, give it with --csv FILE", "; open it where it is now"),
    ("; a moved copy can be given with --csv FILE", "; open the file it was trained on"),
)


def window_words(message: str) -> str:
    """``message`` with the command line's options named as the window's controls."""
    for cli, window in WINDOW_WORDS:
        message = message.replace(cli, window)
    return message


def warn_unreadable(parent: QWidget | None, error: BaseException) -> None:
    """Say that the data could not be read, why, and what to do."""
    said = window_words(" ".join(str(error).split()))
    QMessageBox.warning(
        parent, "Cannot read the data",
        f"{said}\n\nNothing was changed. Open the data file where it is now (Data ▸ Open "
        "CSV…), or choose the article's formulas as the source.",
    )  # fmt: skip


def refusing_unreadable(parent: QWidget | None, edit: Callable[[], object]) -> bool:
    """Run ``edit``; False (after saying why) when the data it needs cannot be read."""
    try:
        edit()
    except UNREADABLE as exc:
        warn_unreadable(parent, exc)
        return False
    return True
