"""File ▸ Export: the visible plot or view as a PNG image, the loss history and the fit table
as CSV, each through a save dialog, written atomically, with a clear message on failure.

Every pyqtgraph plot also has its own right-click ▸ Export… menu (PNG, SVG, CSV of a curve);
these actions export what the user sees with one click and the tables the plots come from.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from nngui.core.export import history_csv, table_csv, write_file
from nngui.core.fit import FIT_COLUMNS, fit_table
from nngui.gui.file_actions import LAST_DIR_KEY, last_directory
from nngui.gui.save_dialog import ask_save_path
from nngui.gui.views.view_tabs import ViewTabs
from nngui.workbench import Workbench

PNG_FILTER = "PNG image (*.png)"
CSV_FILTER = "CSV table (*.csv)"


class ExportActions(QObject):
    """The actions of File ▸ Export and their dialogs: the visible tab of ``views``, the loss
    history of ``workbench``'s session (current during a run), and the fit table of the
    network the views show; ``base_name()`` starts the suggested file names."""

    def __init__(
        self, window: QMainWindow, views: ViewTabs, workbench: Workbench,
        base_name: Callable[[], str],
    ) -> None:  # fmt: skip
        super().__init__(window)
        self.window = window
        self.views = views
        self.workbench = workbench
        self.base_name = base_name
        self.png_action = self._action(
            "Current View as &PNG…", self.export_png, "Save the visible plot or view as an image"
        )
        self.png_action.setShortcut(QKeySequence("Ctrl+E"))
        self.history_action = self._action(
            "&Loss History as CSV…", self.export_history, "Save every epoch's losses as a table"
        )
        self.fit_action = self._action(
            "&Fit Table as CSV…",
            self.export_fit,
            "Save each output's MSE, RMSE, MAE, R² and max error",
        )

    def _action(self, text: str, slot: Callable[[], object], tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def fill_menu(self, menu: QMenu) -> None:
        """Add the export actions to ``menu`` (File ▸ Export)."""
        menu.addAction(self.png_action)
        menu.addAction(self.history_action)
        menu.addAction(self.fit_action)

    # ----- commands -----------------------------------------------------------------------
    def export_png(self) -> bool:
        """Save the visible plot or view as a PNG image; True when saved."""
        widget = self.views.currentWidget()
        name = self.views.tabText(self.views.currentIndex()).replace("&", "")
        path = self._ask("Export view as PNG", f"{name.lower().replace(' ', '-')}.png", PNG_FILTER)
        if not path:
            return False
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not widget.grab().save(buffer, "PNG"):
            return self._failed(path, "the image could not be encoded")
        return self._write(path, bytes(data.data()))

    def export_history(self) -> bool:
        """Save the loss history as CSV; True when saved."""
        session = self.workbench.session
        if session is None:
            return False
        path = self._ask("Export loss history", "loss-history.csv", CSV_FILTER)
        return bool(path) and self._write(path, history_csv(session.history))

    def export_fit(self) -> bool:
        """Save the fit table as CSV; True when saved."""
        state = self.views.state
        rows = [] if state is None else fit_table(state.model, state.dataset)
        path = self._ask("Export fit table", "fit-table.csv", CSV_FILTER)
        return bool(path) and self._write(path, table_csv(FIT_COLUMNS, rows))

    # ----- helpers ------------------------------------------------------------------------
    def _ask(self, title: str, suffix_name: str, file_filter: str) -> str:
        """The chosen path (with the filter's extension added if missing), or ""."""
        base = self.base_name()
        start = os.path.join(last_directory(), f"{base}-{suffix_name}")
        ext = file_filter[file_filter.index("*") + 1 : -1]
        return ask_save_path(self.window, title, start, file_filter, ext)

    def _write(self, path: str, content: str | bytes) -> bool:
        try:
            write_file(path, content)
        except OSError as exc:
            return self._failed(path, (exc.strerror or str(exc)).lower())
        QSettings().setValue(LAST_DIR_KEY, os.path.dirname(os.path.abspath(path)))
        self.window.statusBar().showMessage(f"Exported {os.path.basename(path)}", 5000)
        return True

    def _failed(self, path: str, reason: str) -> bool:
        QMessageBox.warning(
            self.window, "Cannot export", f"{path}: could not save: {reason}. Nothing was written."
        )
        return False
