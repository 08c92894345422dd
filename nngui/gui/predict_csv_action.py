"""File ▸ Predict CSV…: the network shown, applied to every row of a CSV file, as ``nngui
predict MODEL --csv IN --out OUT`` does.

The rows are read, predicted and written in a background thread, a chunk at a time, behind a
progress dialog with Cancel; the output is written aside and renamed into place, so a cancelled
or failed run leaves no half-written file.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from typing import BinaryIO

import shiboken6
from PySide6.QtCore import QObject, Qt, QThread
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QProgressDialog

from nngui.core.atomic_file import write_atomically
from nngui.core.csv_dialect import CsvError, sniff
from nngui.core.csv_predict import PredictedRows, predict_csv
from nngui.core.run_text import plural
from nngui.gui.background_task import BackgroundTask, start_task
from nngui.gui.file_actions import last_directory
from nngui.gui.save_dialog import ask_save_path
from nngui.workbench import Workbench

CSV_FILTER = "CSV files (*.csv *.tsv *.txt);;All files (*)"


class PredictCsvAction(QObject):
    """The File menu's Predict CSV… action and its background run."""

    def __init__(self, window: QMainWindow, workbench: Workbench) -> None:
        super().__init__(window)
        self.window = window
        self.workbench = workbench
        self.action = QAction("&Predict CSV…", window)
        tip = "Append the network's predictions to every row of a CSV file"
        self.action.setToolTip(tip)
        self.action.setStatusTip(tip)
        self.action.triggered.connect(self.choose_and_predict)
        self.task: BackgroundTask | None = None
        self._thread: QThread | None = None
        self._target = ""
        self._dialog: QProgressDialog | None = None

    def set_enabled(self, on: bool) -> None:
        """Allow predicting (not while training: the network changes)."""
        self.action.setEnabled(on and self.task is None)

    def choose_and_predict(self) -> bool:
        """Ask for the file to read and the file to write, then predict; False if declined."""
        source, _ = QFileDialog.getOpenFileName(
            self.window, "Choose the CSV file to predict", last_directory(), CSV_FILTER
        )
        if not source:
            return False
        stem = os.path.splitext(source)[0]
        target = ask_save_path(
            self.window, "Write the rows with predictions to", f"{stem}-predicted.csv",
            CSV_FILTER, ".csv",
        )  # fmt: skip
        if not target:
            return False
        return self.predict(source, target)

    def predict(self, source: str, target: str) -> bool:
        """Predict every row of ``source`` into ``target`` in the background; False (after
        saying why) if it cannot start."""
        if os.path.abspath(source) == os.path.abspath(target):
            self._warn("The output would overwrite the input file: choose another name.")
            return False
        try:
            dialect = sniff(source)
        except CsvError as exc:
            self._warn(str(exc))
            return False
        model = self.workbench.current_model()

        def work(report: Callable[[int], None], cancelled: Callable[[], bool]) -> PredictedRows:
            done: list[PredictedRows] = []

            def write(f: BinaryIO) -> None:
                text = io.TextIOWrapper(f, encoding=dialect.encoding, newline="")
                done.append(predict_csv(model, source, dialect, text, report, cancelled))
                text.flush()
                text.detach()

            write_atomically(target, write)  # (a CancelledError is the task's "cancelled")
            return done[0]

        self.task = BackgroundTask(work)
        self._target = target
        # Bound methods of this GUI-thread object: the signals are queued to the GUI thread.
        self.task.progress.connect(self._on_progress)
        self.task.done.connect(self._on_done)
        self.task.cancelled.connect(self._on_cancelled)
        self.task.failed.connect(self._on_failed)
        self._dialog = QProgressDialog(
            f"Predicting the rows of {os.path.basename(source)}…", "Cancel", 0, 0, self.window
        )
        self._dialog.setWindowTitle("Predict CSV")
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setMinimumDuration(300)
        self._dialog.canceled.connect(self.task.cancel)
        self._dialog.setValue(0)  # shows the dialog if the job takes longer than 300 ms
        self.action.setEnabled(False)
        self._thread = start_task(self.task)
        self._thread.finished.connect(self._on_thread_finished)  # then the thread may go
        return True

    def cancel_and_wait(self) -> None:
        """Stop a prediction under way and wait for its thread (closing the window)."""
        if self.task is not None and shiboken6.isValid(self.task):
            self.task.cancel()
        if self._thread is not None and shiboken6.isValid(self._thread):
            self._thread.quit()
            self._thread.wait()

    # ----- the task's signals -------------------------------------------------------------
    def _on_progress(self, rows: int) -> None:
        if self._dialog is not None:
            self._dialog.setLabelText(f"{plural(rows, 'row')} predicted…")
            self._dialog.setValue(0)

    def _on_done(self, result: PredictedRows) -> None:
        self._finish()
        without = f", {result.missing:,} without a prediction" if result.missing else ""
        name = os.path.basename(self._target)
        self.window.statusBar().showMessage(
            f"Predicted {plural(result.rows, 'row')}{without} into {name}", 8000
        )

    def _on_cancelled(self) -> None:
        self._finish()
        self.window.statusBar().showMessage("Prediction cancelled: nothing was written", 8000)

    def _on_failed(self, message: str) -> None:
        self._finish()
        self._warn(f"{message}\n\nNothing was written.")

    def _finish(self) -> None:
        if self._dialog is not None:
            self._dialog.reset()
            self._dialog.deleteLater()
            self._dialog = None
        self.task = None
        self.action.setEnabled(True)

    def _on_thread_finished(self) -> None:
        self._thread = None

    def _warn(self, text: str) -> None:
        QMessageBox.warning(self.window, "Cannot predict the CSV file", text)
