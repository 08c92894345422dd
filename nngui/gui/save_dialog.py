"""The save-file question shared by Save Model As… and the exports.

Qt's static ``QFileDialog.getSaveFileName`` asks before replacing the file the user picked,
but knows nothing of the extension added afterwards: "model" becomes "model.npz", which may
exist. ``ask_save_path`` asks about that file itself.
"""

from __future__ import annotations

import os

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def with_extension(path: str, extension: str) -> str:
    """``path`` ending in ``extension`` (e.g. ".npz"), added when missing (any letter case)."""
    return path if path.lower().endswith(extension.lower()) else path + extension


def ask_save_path(parent: QWidget, title: str, start: str, file_filter: str, extension: str) -> str:
    """Ask for a file to save to; the path with ``extension``, or "" if the user declined.

    When the extension had to be added and that file exists, the user is asked whether to
    replace it (the dialog only asked about the name as typed).
    """
    chosen, _ = QFileDialog.getSaveFileName(parent, title, start, file_filter)
    if not chosen:
        return ""
    path = with_extension(chosen, extension)
    if path != chosen and os.path.exists(path):
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            parent, title,
            f"{os.path.basename(path)} already exists in {os.path.dirname(path) or '.'}.\n\n"
            "Do you want to replace it?",
            buttons.Yes | buttons.No, buttons.No,
        )  # fmt: skip
        if answer != buttons.Yes:
            return ""
    return path
