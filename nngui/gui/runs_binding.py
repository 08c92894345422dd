"""RunsBinding: the Runs tab over the workbench's runs, and bringing a run back.

The workbench keeps every run as it ends (``Workbench.end_run``) and a network trained by lone
Steps before another replaces it; the Runs tab (a RunsPanel) lists them. Restoring one puts
its settings (one undoable step), weights and loss plot back, as opening its file would.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow, QMessageBox

from nngui.core.run_text import plural
from nngui.gui.runs_panel import RunsPanel
from nngui.workbench import RunRecord, RunsError, Workbench


class RunsBinding(QObject):
    """Shows ``workbench.runs`` in a RunsPanel and restores the run the user asks for."""

    def __init__(self, workbench: Workbench, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.workbench = workbench
        self.runs = workbench.runs
        self.panel = RunsPanel(self.runs)
        self.panel.restore_requested.connect(self.restore)

    def restore(self, run_id: int) -> bool:
        """Bring back the run ``run_id``: its settings, weights and loss plot."""
        if self.workbench.state.running:
            return False
        try:
            run = self.workbench.restore_run(run_id)
        except (RunsError, ValueError, OSError) as exc:  # its data file may be gone
            QMessageBox.warning(self.window, "Cannot restore the run", str(exc))
            return False
        epochs = plural(run.epochs, "epoch")
        self.window.statusBar().showMessage(f"Restored {run.name}: {epochs} trained", 8000)
        return True

    def selected_for_saving(self) -> RunRecord | None:
        """The run selected in the Runs tab while that tab is showing (Save writes it), else
        None (Save writes the network shown)."""
        return self.runs.selected if self.panel.isVisible() else None
