"""RunController: the window's training runs, between the workbench, the worker and the views.

Train, Step, Pause, Resume and Stop come here. A run starts from the workbench's trainer
(``Workbench.begin_run``) in a ``TrainingRun`` thread; its progress reports extend the
session's history and the loss plot, its weight snapshots refresh the views, and when it ends
the workbench takes over the trainer's network and history (``Workbench.end_run``), keeping
the run in the Runs tab. The controller never touches the trainer while the thread runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMessageBox

from nngui.core.data import DataSpecError
from nngui.core.run_text import kept_reason, stop_reason
from nngui.core.training import History, Progress, ProgressReport, TrainConfigError
from nngui.gui.number_box import refused_entries
from nngui.workbench import RunState
from nngui.workbench.session import end_message

if TYPE_CHECKING:
    from nngui.gui.main_window import MainWindow


class RunController(QObject):
    """Starts, pauses, steps and stops the window's runs and shows their progress."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.workbench = window.workbench
        self.run = window.run
        self._last_progress: Progress | None = None
        self._single_step = False  # the run is one Step from idle: no bar to a target
        self.run.progress.connect(self._on_progress)
        self.run.snapshot.connect(self._on_snapshot)
        self.run.paused.connect(self._on_paused)
        self.run.ended.connect(self._on_ended)

    # ----- commands -----------------------------------------------------------------------
    def train(self, epochs: int | None = None) -> None:
        """Train for the configured epochs (or ``epochs``) in a worker thread."""
        w = self.window
        if self.run.running or self.workbench.session is None:
            return
        if not self.entries_taken():  # a number still being typed is an edit too
            return
        try:
            w.data_panel.spec()
        except DataSpecError as exc:  # the settings shown are not the workbench's
            QMessageBox.warning(
                w, "Cannot train",
                f"The data settings cannot be used: {exc}.\n\nFix them in the Data tab, then "
                "train again.",
            )  # fmt: skip
            return
        try:
            trainer = self.workbench.begin_run()
        except TrainConfigError as exc:
            QMessageBox.warning(w, "Cannot train", str(exc))
            return
        self._last_progress = None
        self._single_step = epochs == 1
        total = self.workbench.settings.training.epochs if epochs is None else epochs
        self.run.start(trainer, total, restore_best=not self._single_step)

    def step(self) -> None:
        """Train exactly one epoch (within a paused run, or as a run of its own)."""
        if self.run.running:
            self.run.step()
        else:
            self.train(epochs=1)

    def pause(self) -> None:
        """Pause the running training after the current step."""
        if self.run.running and self.workbench.state is RunState.TRAINING:
            self.run.pause()
            self.workbench.set_state(RunState.PAUSED)

    def resume(self) -> None:
        """Continue a paused training with its remaining epochs."""
        if self.run.running and self.workbench.state is RunState.PAUSED:
            self.run.resume()
            self.workbench.set_state(RunState.TRAINING)

    def stop(self) -> None:
        """Ask the training to stop; the weights so far are kept."""
        self.run.request_stop()

    def stop_and_wait(self) -> None:
        """Stop a running training and wait for its thread, adopting what it trained."""
        if self.run.running:
            self._adopt("interrupted", self.run.stop_and_join())

    def entries_taken(self) -> bool:
        """Finish the number being typed in any settings box; False (and why) if one refuses.

        A box that refuses its text shows it, not its value: training then would use a number
        the window does not show, so it waits until the box is corrected (or Esc puts it back).
        """
        w = self.window
        panels = (w.data_panel, w.layer_builder, w.training_panel)
        refused = [entry for panel in panels for entry in refused_entries(panel)]
        if not refused:
            return True
        box = refused[0][0]
        for i in range(w.tabs.count()):
            page = w.tabs.widget(i)
            if page is not None and page.isAncestorOf(box):  # the settings tab with the box
                w.tabs.setCurrentIndex(i)
        box.setFocus()
        box.selectAll()
        reasons = "\n".join(f"• {problem}" for _, problem in refused)
        QMessageBox.warning(
            w, "Cannot train",
            f"{reasons}\n\nCorrect the highlighted box, or press Esc in it to put its setting "
            "back, then train again.",
        )  # fmt: skip
        return False

    # ----- the run's signals --------------------------------------------------------------
    @Slot(object)
    def _on_progress(self, report: ProgressReport) -> None:
        w, session = self.window, self.workbench.session
        assert session is not None  # a run trains the session's network
        h = session.history  # the session's history stays current (saving while paused)
        h.train_loss.extend(report.train_loss)
        h.eval_epochs.extend(report.eval_epochs)
        h.val_loss.extend(report.val_loss)
        h.test_loss.extend(report.test_loss)
        h.val_accuracy.extend(report.val_accuracy)
        h.test_accuracy.extend(report.test_accuracy)
        w.loss_plot.append(report.train_loss, report.eval_epochs, report.val_loss, report.test_loss,
                           report.val_accuracy, report.test_accuracy)  # fmt: skip
        p = self._last_progress = report.progress
        left = p.seconds_left(self.workbench.settings.training.time_limit)
        if self._single_step:
            w.training_panel.show_step(p.epoch)
        else:
            w.training_panel.show_progress(p.epoch, p.epochs_target, p.epochs_per_second, left)
        w.show_metrics(p.epoch, p.train_loss, p.val_loss, p.test_loss, accuracy=p.test_accuracy)

    @Slot(object)
    def _on_snapshot(self, params: list[np.ndarray]) -> None:
        session = self.workbench.session
        if session is not None:
            session.network.set_params(params)
            self.window.show_network(live=True)

    @Slot(int)
    def _on_paused(self, epoch: int) -> None:
        self.window.files.set_enabled(True)  # the state and the epoch are shown already

    @Slot(str, str)
    def _on_ended(self, outcome: str, message: str) -> None:
        if outcome == "failed":
            self._adopt("interrupted", "")
            QMessageBox.critical(self.window, "Training failed", message)
        else:
            self._adopt(outcome, message)

    def _adopt(self, outcome: str, message: str) -> None:
        """Give the joined run's network and history to the workbench; show how it ended."""
        w, result = self.window, self.run.last_result
        self.workbench.end_run(outcome, result, keep=not self._single_step)
        s = self.workbench.session
        assert s is not None  # a run trained it
        self._sync_plot(s.history)
        w.show_network()
        w.show_metrics(full=True)
        p = self._last_progress
        epochs = 0 if result is None else result.epochs_run
        reason = stop_reason(outcome, s.config or self.workbench.settings.training, epochs)
        if p is not None and self._single_step:
            w.training_panel.show_step(s.history.epochs)
        elif p is not None:  # the final count and why it ended, without a stale "time left"
            w.training_panel.show_ended(s.history.epochs, max(p.epochs_target, s.history.epochs),
                                        reason)  # fmt: skip
        why = message if outcome == "diverged" else kept_reason(
            outcome, s.weights_epoch, s.history.epochs
        )  # fmt: skip
        w.statusBar().showMessage(end_message(reason, why), 8000)
        if outcome == "diverged":
            w.status.show_notice("Training diverged", message)

    def _sync_plot(self, history: History) -> None:
        """Make the plot show exactly ``history`` if some report never reached it (a run
        stopped from code, or the first evaluation made before the worker started)."""
        plotted = self.window.loss_plot.history().arrays()
        if any(len(plotted[k]) != len(v) for k, v in history.arrays().items()):
            self.window.loss_plot.set_history(history)
