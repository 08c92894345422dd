"""The File menu: new, open, open recent, save, save as and quit, with their dialogs.

``FileActions`` owns the actions and the recent-file list (kept in QSettings) and talks to the
window only through the small ``FileActionsHost`` protocol, so the window's training code and the
file handling stay apart.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from nngui.core.model import Model
from nngui.core.model_file import ModelFileError, load_model, save_model
from nngui.gui.save_dialog import ask_save_path

MAX_RECENT = 8
FILE_FILTER = "nngui model (*.npz)"
RECENT_KEY = "recent_files"
LAST_DIR_KEY = "last_directory"


class FileActionsHost(Protocol):
    """What the file actions need from the main window."""

    def current_model(self) -> Model:
        """The model to save (the training run, if any, is paused or over)."""

    def apply_model(self, model: Model, path: str) -> bool:
        """Replace the session by a loaded model; False (after telling the user) if it can't."""

    def new_session(self) -> None:
        """Start again from the article's set-up."""

    def has_unsaved_work(self) -> bool:
        """Whether trained work would be lost."""

    def stop_training(self) -> None:
        """Stop a running training and wait for its thread."""

    def set_file(self, path: str | None) -> None:
        """Show ``path`` as the current file and mark the window unmodified."""


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
    """The File menu's actions and dialogs, for a window implementing ``FileActionsHost``."""

    def __init__(self, window: QWidget, bench: FileActionsHost) -> None:
        super().__init__(window)
        self.window = window
        self.bench = bench
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

    def _action(self, text: str, key: QKeySequence | QKeySequence.StandardKey, tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(key)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        self.window.addAction(action)
        return action

    def fill_menu(self, menu: QMenu, export_menu: QMenu | None = None) -> None:
        """Add the actions to the File menu (and ``export_menu`` after the save actions)."""
        menu.addAction(self.new_action)
        menu.addAction(self.open_action)
        menu.addMenu(self.recent_menu)
        menu.addSeparator()
        menu.addAction(self.save_action)
        menu.addAction(self.save_as_action)
        if export_menu is not None:
            menu.addMenu(export_menu)
        menu.addSeparator()
        menu.addAction(self.quit_action)

    def set_enabled(self, saving: bool) -> None:
        """Allow saving (not while training runs)."""
        self.save_action.setEnabled(saving)
        self.save_as_action.setEnabled(saving)

    # ----- unsaved work -------------------------------------------------------------------
    def confirm_discard(self, doing: str, question: str | None = None, force: bool = False) -> bool:
        """Ask Save / Discard / Cancel when trained work is unsaved (or, with ``force``, in
        any case); True to go on.

        ``doing`` ends the default question ("… Save it before {doing}?"); ``question``
        replaces it.
        """
        if not (force or self.bench.has_unsaved_work()):
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.window,
            "Unsaved model",
            question or f"The trained model has unsaved changes. Save it before {doing}?",
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        if answer == buttons.Save:
            self.bench.stop_training()
            return self.save()
        return answer == buttons.Discard

    # ----- commands -----------------------------------------------------------------------
    def new(self) -> None:
        """File ▸ New: after the unsaved-work question, start from the article's set-up."""
        if self.confirm_discard("starting a new model"):
            self.bench.stop_training()
            self.bench.new_session()
            self.bench.set_file(None)
            self.path = None

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
        self.bench.stop_training()
        if not self.bench.apply_model(model, path):
            return False
        self._saved_as(path)
        return True

    def save(self) -> bool:
        """File ▸ Save Model: to the current file, or ask for one; True when saved."""
        if self.path is None:
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        """File ▸ Save Model As…: ask for a file name (".npz" is added if missing)."""
        start = os.path.join(last_directory(), os.path.basename(self.path or "model.npz"))
        path = ask_save_path(self.window, "Save model", start, FILE_FILTER, ".npz")
        return bool(path) and self.save_to(path)

    def save_to(self, path: str) -> bool:
        """Write the model to ``path``; an error is shown and nothing is lost."""
        try:
            save_model(self.bench.current_model(), path)
        except (ModelFileError, OSError) as exc:
            QMessageBox.critical(self.window, "Cannot save model", str(exc).splitlines()[0])
            return False
        self._saved_as(path)
        return True

    def _saved_as(self, path: str) -> None:
        self.path = os.path.abspath(path)
        QSettings().setValue(LAST_DIR_KEY, os.path.dirname(self.path))
        remember_recent(self.path)
        self.bench.set_file(self.path)

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
