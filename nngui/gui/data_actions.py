"""Opening data: File ▸ Open Data… and Open Example, dropped CSV files, the import view.

``DataActions`` asks for a CSV file (or takes one dropped on the window, given on the command
line or chosen among the examples), sniffs how it is written, shows the import view
(``CsvImportDialog``) and, once the user accepts it, makes its CsvSpec the workbench's data: one
undoable step that starts a new network on the file's columns (the trained one is kept in
the Runs tab). A file that cannot be read says why and changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from nngui.core.csv_dialect import DATA_SUFFIXES, CsvError, sniff
from nngui.core.csv_source import CsvSpec
from nngui.core.examples import EXAMPLES, example_path
from nngui.core.run_text import plural
from nngui.gui.csv_import_dialog import CsvImportDialog
from nngui.gui.data_errors import window_words
from nngui.gui.file_actions import DATA_FILTER
from nngui.workbench import Workbench

LAST_DATA_DIR_KEY = "last_data_directory"


def dropped_data(event: QDragEnterEvent | QDropEvent) -> str | None:
    """The path of the one local data file (.csv, .tsv, .txt …) dragged or dropped, or None."""
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    paths = [u.toLocalFile() for u in urls if u.isLocalFile()]
    if len(paths) == 1 and os.path.splitext(paths[0])[1].lower() in DATA_SUFFIXES:
        return paths[0]
    return None


def last_data_directory() -> str:
    """The folder of the last data file opened (the home folder at first)."""
    folder = str(QSettings().value(LAST_DATA_DIR_KEY, "", type=str))
    return folder if folder and os.path.isdir(folder) else str(Path.home())


class DataActions(QObject):
    """Open Data…, Open Example and the import view for ``window`` over ``workbench``.

    ``stop_training`` stops a run under way (the import view's data replaces the session).
    """

    def __init__(
        self, window: QMainWindow, workbench: Workbench, stop_training: Callable[[], None]
    ) -> None:
        super().__init__(window)
        self.window = window
        self.workbench = workbench
        self.stop_training = stop_training
        #: The import view open (None when none is).
        self.dialog: CsvImportDialog | None = None
        self.open_action = QAction("Open &Data…", window)
        self.open_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        tip = "Train on the columns of a CSV file"
        self.open_action.setToolTip(tip)
        self.open_action.setStatusTip(tip)
        self.open_action.triggered.connect(self.open_data)
        window.addAction(self.open_action)
        self.examples_menu = QMenu("Open E&xample", window)
        self.examples_menu.setToolTipsVisible(True)
        for name, text in EXAMPLES.items():
            action = self.examples_menu.addAction(f"&{text}")
            action.setToolTip(f"Open the example {name} (see its README for source and licence)")
            action.triggered.connect(lambda _=False, n=name: self.open_example(n))

    def set_enabled(self, on: bool) -> None:
        """Allow opening data (not while training runs)."""
        self.open_action.setEnabled(on)
        self.examples_menu.setEnabled(on)

    # ----- commands -----------------------------------------------------------------------
    def open_data(self) -> None:
        """File ▸ Open Data…: choose a CSV file and import it."""
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open data", last_data_directory(), DATA_FILTER
        )
        if path:
            self.open_path(path)

    def open_example(self, name: str) -> CsvImportDialog | None:
        """File ▸ Open Example: import the shipped example ``name``."""
        return self.open_path(example_path(name), remember=False)

    def open_path(self, path: str, remember: bool = True) -> CsvImportDialog | None:
        """Show the import view of ``path`` (None, after saying why, if it cannot be read)."""
        try:
            dialect = sniff(path)
        except (CsvError, OSError) as exc:
            self._warn(str(exc) if isinstance(exc, CsvError) else f"{path}: {exc.strerror}")
            return None
        if remember:
            QSettings().setValue(LAST_DATA_DIR_KEY, os.path.dirname(os.path.abspath(path)))
        return self._show(CsvImportDialog(path, dialect, None, self.window))

    def edit_import(self) -> CsvImportDialog | None:
        """Data ▸ Import Settings…: the import view of the CSV file shown, as it was imported."""
        spec = self.workbench.settings.data
        if not isinstance(spec, CsvSpec):
            return None
        if not os.path.isfile(spec.path):
            self._warn(f"{spec.path}: the data file is missing; open it again where it is now.")
            return None
        return self._show(CsvImportDialog(spec.path, spec.dialect, spec, self.window))

    # ----- the import view ----------------------------------------------------------------
    def _show(self, dialog: CsvImportDialog) -> CsvImportDialog:
        if self.dialog is not None:
            self.dialog.reject()
        self.dialog = dialog
        dialog.accepted.connect(self._accepted)
        dialog.finished.connect(self._closed)
        dialog.open()  # window-modal, and the event loop goes on (the file reads meanwhile)
        return dialog

    def _accepted(self) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        try:
            spec = dialog.spec()
        except CsvError as exc:  # (Use Data is off until it can be made)
            self._warn(str(exc))
            return
        self.use(spec)

    def use(self, spec: CsvSpec) -> bool:
        """Make ``spec`` the data (one undoable step); False, after saying why, if it cannot."""
        self.stop_training()
        try:
            self.workbench.set_data_spec(spec)
        except (ValueError, OSError) as exc:  # CsvError, SettingsError; a file gone meanwhile
            self._warn(str(exc))
            return False
        session = self.workbench.session
        if session is not None:
            ds = session.dataset
            n = ds.rows
            dropped = f", {plural(ds.dropped, 'row')} dropped" if ds.dropped else ""
            self.window.statusBar().showMessage(
                f"Using {os.path.basename(spec.path)}: {plural(n, 'row')}{dropped}, "
                f"{plural(len(ds.columns), 'input column')}, {plural(ds.n_outputs, 'target')}",
                8000,
            )  # fmt: skip
        return True

    def _closed(self) -> None:
        if self.dialog is not None and self.sender() is self.dialog:
            self.dialog.deleteLater()
            self.dialog = None

    def close_dialog(self) -> None:
        """Close the import view, if open (its read stopped; closing the window)."""
        if self.dialog is not None:
            self.dialog.reject()

    def _warn(self, text: str) -> None:
        QMessageBox.warning(self.window, "Cannot open the data", window_words(text))
