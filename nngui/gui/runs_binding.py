"""RunsBinding: the window's runs, kept as they end, and brought back when the user asks.

When a run ends (not a single Step), the window's network becomes a ``workbench.RunRecord``
with its settings, history, final metrics and kept weights; the Runs tab lists them. Restoring
one puts its settings, weights and loss plot back, as opening its file would (as one undoable
step). A network trained by lone Steps is no run yet (``pending``): it is kept as one before
another network replaces it, so nothing trained is lost silently. Saving marks the run the
window shows as saved, and closing the window asks first when some run was never saved.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from nngui.core.data import DataSpecError
from nngui.core.run_text import plural
from nngui.core.training import TrainConfig
from nngui.gui.runs_panel import RunsPanel
from nngui.gui.session import copy_history
from nngui.workbench import RunRecord, Runs, RunsError, Settings, SettingsError

if TYPE_CHECKING:
    from nngui.gui.main_window import MainWindow


class RunsBinding(QObject):
    """Records the window's runs in a ``Runs`` list, shown by a RunsPanel."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.runs = Runs()
        self.panel = RunsPanel(self.runs)
        self.panel.restore_requested.connect(self.restore)
        #: The run whose network the window shows (None: a fresh or opened network).
        self.current: int | None = None
        #: The window's network was trained (by lone Steps) since it was last kept as a run.
        self.pending = False
        self._started = dt.datetime.now()

    def run_started(self) -> None:
        """Note when the run now starting began."""
        self._started = dt.datetime.now()

    def record(self, outcome: str, config: TrainConfig | None = None) -> RunRecord | None:
        """Keep the window's network as a run that ended with ``outcome``, trained with
        ``config`` (default: the settings now); the run kept."""
        w = self.window
        self.pending = False
        if w.session is None:
            return None
        model = w.session.model(config or w.config())
        try:
            if model.data_spec is None or model.train_config is None:
                return None
            settings = Settings(model.data_spec, tuple(model.network.layers), model.train_config)
            history = copy_history(model.history)
            kept = history.epochs if model.weights_epoch is None else model.weights_epoch
            run = RunRecord(
                name="", started=self._started, settings=settings, history=history,
                metrics=model.metrics, params=tuple(p.copy() for p in model.network.params),
                weights_epoch=kept, outcome=outcome,
            )  # fmt: skip
        except (SettingsError, DataSpecError, RunsError):
            return None  # (settings a run was trained with always fit together)
        kept_run = self.runs.add(run)
        self.current = kept_run.id
        return kept_run

    def keep_pending(self) -> None:
        """Keep the window's network as a run if lone Steps trained it since the last one."""
        session = self.window.session
        if self.pending and session is not None and session.trained:
            self.record(session.outcome or "completed", session.config)
        self.pending = False

    def restore(self, run_id: int) -> bool:
        """Bring back the run ``run_id``: its settings, weights and loss plot."""
        w = self.window
        if w.run.running:
            return False
        run = self.runs.get(run_id)
        if not w.restore_model(
            run.model(), f"Restored {run.name}", undo_text=f"Restore {run.name}"
        ):
            return False
        self.current = run_id
        w.setWindowModified(not run.saved)
        return True

    def forget_current(self) -> None:
        """The window now shows a network that is no run (a fresh one, or an opened file)."""
        self.current = None

    def mark_current_saved(self) -> None:
        """The network the window shows was saved: so was its run, if it is one."""
        if self.current is not None:
            try:
                self.runs.mark_saved(self.current)
            except RunsError:  # deleted since
                self.current = None

    def close_question(self) -> str | None:
        """The question to ask before closing when some run was never saved, else None."""
        n = self.runs.unsaved()
        if n == 0:
            return None
        were = "was" if n == 1 else "were"
        return (
            f"{plural(n, 'training run')} of this window {were} never saved and will be lost "
            "(the Runs tab lists them). Save the model shown before closing?"
        )
