"""The Runs tab: every training run kept, to look back at, restore, rename or delete.

A view of ``workbench.Runs``: one row per run (name, when it started, a settings summary, the
epochs and how the run ended, the test RMSE per output). Restore (or a double-click) asks the
window to bring the run back: its settings, its weights and its loss plot. Rename asks for a
name in a dialog; Delete forgets the run. The panel holds no state of its own: it redraws from
the list whenever the list changes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from nngui.gui.widgets import describe, hint_label, read_only_item, run_preview
from nngui.workbench import RunRecord, Runs, RunsError

HEADERS = ["Name", "Started", "Settings", "Epochs", "Ended", "Test RMSE"]
OUTCOME_WORDS = {
    "completed": "all epochs", "early_stopped": "early stopping", "time_limit": "time limit",
    "diverged": "diverged", "interrupted": "stopped",
}  # fmt: skip
EMPTY_TEXT = "No runs yet: every training run is kept here when it ends."


def rmse_text(run: RunRecord) -> str:
    """The run's test RMSE per output, e.g. "0.012, 0.3, 0.07" ("—" if not measured)."""
    rmse = run.test_rmse()
    return "—" if rmse is None else ", ".join(f"{v:.3g}" for v in rmse)


class RunsPanel(QWidget):
    """The runs list with Restore, Rename and Delete (see the module docstring)."""

    #: The id of the run the user asked to bring back.
    restore_requested = Signal(int)

    def __init__(self, runs: Runs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runs = runs
        self._ids: list[int] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.note = hint_label(EMPTY_TEXT, warning=False)
        layout.addWidget(self.note)
        self.table = describe(
            QTableWidget(0, len(HEADERS)), "Runs",
            "Every training run, oldest first. Double-click a run (or Restore) to bring back "
            "its settings, weights and loss plot.",
        )  # fmt: skip
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (arrows move within it)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.table.cellDoubleClicked.connect(lambda row, _col: self._restore_row(row))
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.restore_button = self._button(
            "Re&store", "Bring back the selected run's settings, weights and loss plot (Enter).",
            lambda: self._restore_row(self._selected_row()),
        )  # fmt: skip
        # (Their letters are taken elsewhere on screen: F2 and Delete are their keys.)
        self.rename_button = self._button(
            "Rename…", "Give the selected run a name (F2).", self.rename
        )
        self.delete_button = self._button(
            "Delete", "Forget the selected run (Delete).", self.delete
        )
        self.table.installEventFilter(self)  # Delete, F2 and Enter in the table
        for button in (self.restore_button, self.rename_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.count_label = QLabel()
        buttons.addWidget(self.count_label)
        layout.addLayout(buttons)
        self._enabled = True
        runs.subscribe(self.refresh)
        self.refresh()

    def _button(self, text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
        button = describe(QPushButton(text), text.replace("&", "").rstrip("…"), tip)
        button.clicked.connect(slot)
        return button

    # ----- public API -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the runs list as it is now."""
        runs = list(self.runs)
        self._ids = [run.id for run in runs]
        table = self.table
        table.blockSignals(True)
        table.setRowCount(len(runs))
        for r, run in enumerate(runs):
            ended = OUTCOME_WORDS.get(run.outcome, run.outcome)
            cells = [
                run.name, run.started.strftime("%H:%M:%S"), run.summary(),
                f"{run.epochs:,}", ended, rmse_text(run),
            ]  # fmt: skip
            for c, text in enumerate(cells):
                item = read_only_item(text, align_right=c == 3)
                if c == 0 and not run.saved:
                    item.setToolTip("Not saved to a file yet")
                table.setItem(r, c, item)
        selected = self.runs.selected
        if selected is not None and selected.id in self._ids:
            table.selectRow(self._ids.index(selected.id))
        else:
            table.clearSelection()
        table.blockSignals(False)
        self.note.setVisible(not runs)
        unsaved = self.runs.unsaved()
        self.count_label.setText(
            f"{len(runs):,} run{'s' if len(runs) != 1 else ''}"
            + (f" · {unsaved:,} not saved" if unsaved else "")
        )
        self._update_buttons()

    def set_editable(self, on: bool) -> None:
        """Allow restoring and deleting (not while a run trains)."""
        self._enabled = on
        self._update_buttons()

    def rename(self) -> None:
        """Ask for a new name for the selected run."""
        run = self.runs.selected
        if run is None:
            return
        name, ok = QInputDialog.getText(self, "Rename run", "Name:", text=run.name)
        if not ok:
            return
        try:
            self.runs.rename(run.id, name)
        except RunsError as exc:
            QMessageBox.warning(self, "Cannot rename the run", f"{exc}. The name stays {run.name}.")

    def delete(self) -> None:
        """Forget the selected run (asks first if it was never saved)."""
        run = self.runs.selected
        if run is None:
            return
        if not run.saved:
            answer = QMessageBox.question(
                self, "Delete run",
                f"{run.name} was never saved to a file. Delete it anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.runs.delete(run.id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Delete forgets, F2 renames and Enter restores the selected run."""
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key == Qt.Key.Key_Delete:
                self.delete()
                return True
            if key == Qt.Key.Key_F2:
                self.rename()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._restore_row(self._selected_row())
                return True
        return super().eventFilter(watched, event)

    # ----- internals ------------------------------------------------------------------------
    def _selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _on_selection(self) -> None:
        row = self._selected_row()
        self.runs.select(None if row is None else self._ids[row])

    def _restore_row(self, row: int | None) -> None:
        if row is not None and self._enabled and 0 <= row < len(self._ids):
            self.restore_requested.emit(self._ids[row])

    def _update_buttons(self) -> None:
        chosen = self.runs.selected is not None
        self.restore_button.setEnabled(chosen and self._enabled)
        self.delete_button.setEnabled(chosen and self._enabled)
        self.rename_button.setEnabled(chosen)


def _preview() -> RunsPanel:
    import datetime as dt

    import numpy as np

    from nngui.core.training import History
    from nngui.workbench import Settings

    runs = Runs()
    history = History.from_arrays({
        "train_loss": np.linspace(2, 1, 5), "eval_epochs": np.array([0.0, 5]),
        "val_loss": np.full(2, np.nan), "test_loss": np.array([2.0, 1.0]),
    })  # fmt: skip
    runs.add(RunRecord("", dt.datetime.now(), Settings(), history,
                       {"test": {"rmse": [0.5, 0.4, 0.3]}}, (), 5, "completed"))  # fmt: skip
    return RunsPanel(runs)


if __name__ == "__main__":
    run_preview(_preview, "Runs preview")
