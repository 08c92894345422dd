"""The File menu: new, open, open recent, save, save as and quit, with their dialogs.

``FileActions`` owns the actions, the recent-file list (kept in QSettings) and the window's
title (the file shown). It reads and replaces the session through the Workbench: Save writes
the run selected in the Runs tab when that tab is showing, else the network shown; Open and
New replace the session; New, Open and Quit ask once (Save / Discard / Cancel) when trained
work or runs were never saved, naming how many runs.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from nngui.core.csv_dialect import DATA_SUFFIXES, CsvError
from nngui.core.csv_source import CsvSpec, check_unchanged
from nngui.core.data import DataSpecError
from nngui.core.model import Model
from nngui.core.model_file import ModelFileError, load_model, save_model
from nngui.core.run_text import plural
from nngui.gui.save_dialog import ask_save_path
from nngui.workbench import RunRecord, Workbench
from nngui.workbench.session import Session

MAX_RECENT = 8
FILE_FILTER = "nngui model (*.npz)"
DATA_FILTER = "CSV files (" + " ".join(f"*{s}" for s in DATA_SUFFIXES) + ");;All files (*)"
RECENT_KEY = "recent_files"
LAST_DIR_KEY = "last_directory"


APP_NAME = "nngui"


def recent_files() -> list[str]:
    """The remembered recent files, newest first."""
    value = QSettings().value(RECENT_KEY, [], type=list)
    if not isinstance(value, list):  # type=list makes it one; the stub says object
        return []
    return [str(v) for v in value if v][:MAX_RECENT]


def remember_recent(path: str) -> None:
    """Put ``path`` first in the recent files (at most MAX_RECENT)."""
    path = os.path.abspath(path)
    files = [path] + [f for f in recent_files() if f != path]
    QSettings().setValue(RECENT_KEY, files[:MAX_RECENT])


def forget_recent(path: str | None = None) -> None:
    """Remove ``path`` from the recent files, or every file when None."""
    files = [] if path is None else [f for f in recent_files() if f != os.path.abspath(path)]
    QSettings().setValue(RECENT_KEY, files)


def last_directory() -> str:
    """The folder of the last opened or saved model (the home folder at first)."""
    folder = str(QSettings().value(LAST_DIR_KEY, "", type=str))
    return folder if folder and os.path.isdir(folder) else str(Path.home())


def dropped_model(event: QDragEnterEvent | QDropEvent) -> str | None:
    """The path of the one local .npz file dragged or dropped, or None."""
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    paths = [u.toLocalFile() for u in urls if u.isLocalFile()]
    return paths[0] if len(paths) == 1 and paths[0].lower().endswith(".npz") else None


class FileActions(QObject):
    """The File menu's actions and dialogs for ``window``, over ``workbench``'s session.

    ``stop_training`` stops a run under way and adopts what it trained (before a save, an
    open or New); ``selected_run`` gives the run to save instead of the network shown, if any.
    """

    def __init__(
        self, window: QMainWindow, workbench: Workbench, stop_training: Callable[[], None],
        selected_run: Callable[[], RunRecord | None] = lambda: None,
    ) -> None:  # fmt: skip
        super().__init__(window)
        self.window = window
        self.workbench = workbench
        self.stop_training = stop_training
        self.selected_run = selected_run
        self.path: str | None = None
        key = QKeySequence.StandardKey
        self.new_action = self._action("&New", key.New, "Start again from the article's set-up")
        self.open_action = self._action("&Open Model…", key.Open, "Open a saved .npz model")
        self.save_action = self._action("&Save Model", key.Save, "Save the model")
        self.save_as_action = self._action(
            "Save Model &As…", QKeySequence("Ctrl+Shift+S"), "Save the model under a new name"
        )
        self.quit_action = self._action("&Quit", QKeySequence("Ctrl+Q"), "Close nngui")
        self.new_action.triggered.connect(self.new)
        self.open_action.triggered.connect(self.open)
        self.save_action.triggered.connect(self.save)
        self.save_as_action.triggered.connect(self.save_as)
        self.quit_action.triggered.connect(window.close)
        self.recent_menu = QMenu("Open &Recent", window)
        self.recent_menu.setToolTipsVisible(True)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._fill_recent()
        self._show_path(None)

    def _action(self, text: str, key: QKeySequence | QKeySequence.StandardKey, tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(key)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        self.window.addAction(action)
        return action

    def fill_menu(
        self, menu: QMenu, export_menu: QMenu | None = None, more: Sequence[QAction] = (),
        data: Sequence[QAction | QMenu] = (),
    ) -> None:  # fmt: skip
        """Add the actions to the File menu (``data`` after the opening actions, ``more`` and
        ``export_menu`` after the save actions)."""
        menu.addAction(self.new_action)
        menu.addAction(self.open_action)
        menu.addMenu(self.recent_menu)
        menu.addSeparator()
        for item in data:
            if isinstance(item, QMenu):
                menu.addMenu(item)
            else:
                menu.addAction(item)
        if data:
            menu.addSeparator()
        menu.addAction(self.save_action)
        menu.addAction(self.save_as_action)
        menu.addActions(list(more))
        if export_menu is not None:
            menu.addMenu(export_menu)
        menu.addSeparator()
        menu.addAction(self.quit_action)

    def set_enabled(self, saving: bool) -> None:
        """Allow saving (not while training runs)."""
        self.save_action.setEnabled(saving)
        self.save_as_action.setEnabled(saving)

    def base_name(self) -> str:
        """The model file's name without ".npz" ("untitled" before the first save)."""
        return os.path.splitext(os.path.basename(self.path))[0] if self.path else "untitled"

    # ----- unsaved work -------------------------------------------------------------------
    def question(self, doing: str, closing: bool = False) -> str | None:
        """What to ask before ``doing`` ("closing", "opening another model" …), or None when
        nothing trained would be lost: the runs never saved, named by count, else the
        unsaved trained model (always during a run)."""
        n = self.workbench.runs.unsaved()
        if n:
            were = "was" if n == 1 else "were"
            lost = " and will be lost" if closing else ""
            return (
                f"{plural(n, 'training run')} of this window {were} never saved{lost} (the "
                f"Runs tab lists them). Save the model shown before {doing}?"
            )
        if self.workbench.has_unsaved_work():
            return f"The trained model has unsaved changes. Save it before {doing}?"
        return None

    def confirm_discard(self, doing: str, closing: bool = False) -> bool:
        """Ask Save / Discard / Cancel once if work would be lost (see ``question``); True
        to go on."""
        question = self.question(doing, closing)
        if question is None:
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.window, "Unsaved model", question,
            buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save,
        )  # fmt: skip
        if answer == buttons.Save:
            self.stop_training()
            return self.save()
        return answer == buttons.Discard

    # ----- commands -----------------------------------------------------------------------
    def new(self) -> None:
        """File ▸ New: after the unsaved-work question, start from the article's set-up."""
        if self.confirm_discard("starting a new model"):
            self.stop_training()
            self.workbench.new()
            self.path = None
            self._show_path(None)

    def open(self) -> None:
        """File ▸ Open Model…: choose a file and open it."""
        if not self.confirm_discard("opening another model"):
            return
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open model", last_directory(), FILE_FILTER
        )
        if path:
            self.open_path(path, confirmed=True)

    def open_path(self, path: str, confirmed: bool = False) -> bool:
        """Open ``path``; a bad file shows the reason and leaves the session untouched."""
        if not confirmed and not self.confirm_discard("opening another model"):
            return False
        try:
            model = load_model(path)
        except ModelFileError as exc:
            QMessageBox.warning(self.window, "Cannot open model", str(exc))
            if not os.path.exists(path):
                forget_recent(path)
            return False
        self.stop_training()
        try:
            session = self.open_model(path, model)
        except ValueError as exc:  # DataSpecError, SettingsError: parts that do not fit
            QMessageBox.warning(self.window, "Cannot open model", f"{path}: {exc}")
            return False
        if session is None:
            return False
        self._saved_as(path)
        epochs = plural(session.history.epochs, "epoch")
        name = os.path.basename(path)
        self.window.statusBar().showMessage(f"Opened {name}: {epochs} trained", 8000)
        return True

    def open_model(self, path: str, model: Model) -> Session | None:
        """Show ``model`` (read from ``path``). When it was trained on a CSV file that is
        missing or changed, offer to locate the file (a moved copy); None if the user does
        not. Raises ValueError when it cannot be shown."""
        spec = model.data_spec
        if isinstance(spec, CsvSpec):
            try:
                check_unchanged(spec)
            except CsvError:
                located = self._locate_data(path, spec)
                if located is None:
                    return None
                model.data_spec = located
        return self.workbench.open_model(model)

    def _locate_data(self, path: str, spec: CsvSpec) -> CsvSpec | None:
        """Ask for the data file of ``spec`` where it is now; the file chosen must be the
        one the model was trained on (its SHA-256). None when the user gives up."""
        gone = not os.path.isfile(spec.path)
        what = "is missing" if gone else "changed since the model was trained on it"
        question = (
            f"{os.path.basename(path)} was trained on {spec.path}, which {what}. Locate the "
            "file it was trained on (a moved or copied file) to open the model?"
        )
        buttons = QMessageBox.StandardButton
        while True:
            answer = QMessageBox.question(
                self.window, "Data file not found", question, buttons.Open | buttons.Cancel,
                buttons.Open,
            )  # fmt: skip
            if answer != buttons.Open:
                return None
            chosen, _ = QFileDialog.getOpenFileName(
                self.window, f"Locate {os.path.basename(spec.path)}",
                os.path.dirname(path), DATA_FILTER,
            )  # fmt: skip
            if not chosen:
                return None
            moved = dataclasses.replace(spec, path=os.path.abspath(chosen))
            try:
                check_unchanged(moved)
            except CsvError:
                question = (
                    f"{chosen} is not the file {os.path.basename(path)} was trained on (its "
                    "content differs). Locate another?"
                )
                continue
            return moved

    def save(self) -> bool:
        """File ▸ Save Model: to the current file, or ask for one; True when saved."""
        if self.path is None:
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        """File ▸ Save Model As…: ask for a file name (".npz" is added if missing)."""
        start = os.path.join(last_directory(), os.path.basename(self.path or "model.npz"))
        data = self.workbench.settings.data
        if self.path is None and isinstance(data, CsvSpec):  # beside its data, named after it
            stem = os.path.splitext(os.path.basename(data.path))[0]
            start = os.path.join(os.path.dirname(os.path.abspath(data.path)), f"{stem}.npz")
        path = ask_save_path(self.window, "Save model", start, FILE_FILTER, ".npz")
        return bool(path) and self.save_to(path)

    def save_to(self, path: str) -> bool:
        """Write the model to ``path``; an error is shown and nothing is lost."""
        run = self.selected_run()
        if run is not None and run.id == self.workbench.current_run:
            run = None  # the run shown: save what is shown (Steps may have trained it on)
        try:
            model = self.workbench.current_model() if run is None else run.model()
            save_model(model, path)
        except (ModelFileError, OSError, DataSpecError) as exc:
            QMessageBox.critical(self.window, "Cannot save model", str(exc).splitlines()[0])
            return False
        if run is None:
            self.workbench.mark_saved()
            self._saved_as(path)
        else:  # a run not shown: saved, the window's own file stays as it was
            self.workbench.runs.mark_saved(run.id)
            remember_recent(os.path.abspath(path))
        what = "the model" if run is None else run.name
        self.window.statusBar().showMessage(f"Saved {what} to {os.path.basename(path)}", 5000)
        return True

    def _saved_as(self, path: str) -> None:
        self.path = os.path.abspath(path)
        QSettings().setValue(LAST_DIR_KEY, os.path.dirname(self.path))
        remember_recent(self.path)
        self._show_path(self.path)

    def _show_path(self, path: str | None) -> None:
        """Show ``path`` in the title ("name[*] — nngui").

        The application's name comes last: Qt appends it on X11 and Windows to titles that do
        not already end with it.
        """
        self.window.setWindowFilePath(path or "")
        name = os.path.basename(path) if path else "untitled"
        self.window.setWindowTitle(f"{name}[*] — {APP_NAME}")

    # ----- recent files -------------------------------------------------------------------
    def _fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        files = recent_files()
        for i, path in enumerate(files, start=1):
            action = menu.addAction(f"&{i} {os.path.basename(path)}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        menu.addSeparator()
        clear = menu.addAction("&Clear Menu")
        clear.setToolTip("Forget the recent files")
        clear.setEnabled(bool(files))
        clear.triggered.connect(self._clear_recent)
        menu.setEnabled(True)

    def _clear_recent(self) -> None:
        forget_recent()
        self._fill_recent()
