"""The main window: composes the panels, runs training in a worker thread, shows results.

Left, in tabs: the data settings, the layer builder and the training controls, all bound to
one Workbench (the settings and their undo stack, shown in the Edit menu). Right: the loss
plot above the predict panel. An edit that changes the data, the layers, the initialisation or
the precision starts a new network without asking: the trained one stays in the Runs tab. The
window keeps its own copy of the network (updated from the worker's weight snapshots) and never
touches the trainer while its thread runs; a finished run's network and history are adopted
after the thread has been joined.
"""

from __future__ import annotations

import os

import numpy as np
from PySide6.QtCore import Qt, Slot, qVersion
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QWidget,
)

import nngui
from nngui.core.data import DataSpecError
from nngui.core.fit import fit_table
from nngui.core.model import Model
from nngui.core.run_text import kept_reason, plural, stop_reason
from nngui.core.training import (
    History,
    Progress,
    ProgressReport,
    TrainConfig,
    TrainConfigError,
    Trainer,
    weights_epoch_after,
)
from nngui.gui.data_panel import DataPanel
from nngui.gui.export_actions import ExportActions
from nngui.gui.file_actions import FileActions, dropped_model
from nngui.gui.icon import app_icon
from nngui.gui.layer_builder import LayerBuilder
from nngui.gui.loss_plot import LossPlot
from nngui.gui.number_box import refused_entries
from nngui.gui.predict_panel import PredictPanel
from nngui.gui.runs_binding import RunsBinding
from nngui.gui.session import (
    OUTCOME_STATES,
    Session,
    copy_history,
    end_message,
    fresh_session,
    metrics_text,
    session_from_model,
    summary_metrics,
    trainer_for,
    training_ranges,
)
from nngui.gui.status_line import StatusLine
from nngui.gui.training_panel import TrainingPanel
from nngui.gui.training_run import TrainingRun
from nngui.gui.undo_stack import QtCommandStack, UndoActions
from nngui.gui.views.base import ViewState
from nngui.gui.views.error_map_view import ErrorMapView
from nngui.gui.views.fit_view import FitView
from nngui.gui.views.inside_view import InsideView
from nngui.gui.views.network_view import NetworkView
from nngui.gui.views.view_tabs import ViewTabs
from nngui.gui.widgets import describe
from nngui.gui.window_geometry import remember_geometry, restore_geometry
from nngui.workbench import Settings, SettingsError, Workbench, starts_new_network

APP_NAME = "nngui"
SPLITS = ("train", "val", "test")


def about_text() -> str:
    """Help ▸ About: what nngui is, its version and those of NumPy, Qt and pyqtgraph."""
    import pyqtgraph
    import PySide6

    return (
        f"<b>nngui {nngui.__version__}</b><br>Build, train and understand small neural "
        "networks whose engine is pure NumPy.<br><br>"
        f"NumPy {np.__version__} · PySide6 {PySide6.__version__} (Qt {qVersion()}) · "
        f"pyqtgraph {pyqtgraph.__version__}"
    )


def scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless vertical scroll area (panels taller than small screens)."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


class MainWindow(QMainWindow):
    """The nngui workbench: build, train and try a network, save and open models."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowIcon(app_icon())
        self.workbench = Workbench(stack=QtCommandStack(self))
        self._restoring = False  # the settings are those of a model being shown: not an edit
        self.session: Session | None = None
        self.state = "idle"
        self._trainer: Trainer | None = None
        self.run = TrainingRun(self)
        self._last_progress: Progress | None = None
        self._single_step = False  # the run is one Step from idle: no bar to a target
        self._build_panels()
        self.runs = RunsBinding(self)
        self.views.addTab(self.runs.panel, "Runs")
        self.files = FileActions(self, self)
        self.exports = ExportActions(self, self)
        self._build_menus()
        self.status = StatusLine(self)
        self._connect()
        self.setAcceptDrops(True)
        self.set_file(None)
        self.reset_weights()
        self.setWindowModified(False)
        restore_geometry(self)

    # ----- construction -------------------------------------------------------------------
    def _build_panels(self) -> None:
        self.data_panel = DataPanel(self.workbench)
        self.layer_builder = LayerBuilder(self.workbench)
        self.training_panel = TrainingPanel(self.workbench)
        self.loss_plot = LossPlot()
        self.predict_panel = PredictPanel()
        self.tabs = describe(QTabWidget(), "Settings", "Data, layers and training settings.")
        self.tabs.addTab(scrolled(self.data_panel), "&Data")
        self.tabs.addTab(scrolled(self.layer_builder), "&Layers")
        self.tabs.addTab(scrolled(self.training_panel), "Trainin&g")
        self.tabs.setCurrentIndex(2)
        self.tabs.setMinimumWidth(360)
        # The plot takes the space; the predict panel keeps the height it needs.
        self.views = ViewTabs(
            self.loss_plot, "L&oss", [NetworkView(), FitView(), ErrorMapView(), InsideView()]
        )
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.views)
        right.addWidget(self.predict_panel)
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 0)
        right.setCollapsible(0, False)
        right.setSizes([10_000, self.predict_panel.sizeHint().height()])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([420, 860])
        self.setCentralWidget(self.splitter)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        export_menu = QMenu("E&xport", self)
        self.exports.fill_menu(export_menu)
        self.files.fill_menu(bar.addMenu("&File"), export_menu)
        edit = bar.addMenu("&Edit")
        self.undo_actions = UndoActions(self.workbench.stack, self)
        edit.addActions([self.undo_actions.undo, self.undo_actions.redo])
        view = bar.addMenu("&View")
        fit = view.addAction("&Fit Loss Plot")
        fit.setToolTip("Show the whole loss history and follow new epochs")
        fit.triggered.connect(self.loss_plot.auto_range)
        # The run's actions, whose shortcuts (F5, F6, F7, Shift+F5, Ctrl+R) work on every tab.
        bar.addMenu("&Training").addActions(self.training_panel.run_actions())
        help_menu = bar.addMenu("&Help")
        about = help_menu.addAction("&About nngui")
        about.triggered.connect(self._about)

    def _connect(self) -> None:
        self.workbench.subscribe(self._on_settings)
        tp = self.training_panel
        tp.train_clicked.connect(self.train)
        tp.pause_clicked.connect(self.pause)
        tp.resume_clicked.connect(self.resume)
        tp.step_clicked.connect(self.step)
        tp.stop_clicked.connect(self.stop)
        tp.reset_clicked.connect(self.reset_weights)
        tp.preset_chosen.connect(self._start_from_preset)
        self.run.progress.connect(self._on_progress)
        self.run.snapshot.connect(self._on_snapshot)
        self.run.paused.connect(self._on_paused)
        self.run.ended.connect(self._on_ended)

    # ----- sessions -----------------------------------------------------------------------
    def config(self) -> TrainConfig:
        """The training settings (the initialisation and precision included)."""
        return self.workbench.settings.training

    def _on_settings(self, old: Settings, new: Settings) -> None:
        """Follow an edit, undo or redo: a new network when it needs one (the trained one
        stays in the Runs tab), the learning rate of a run going on."""
        if self._restoring:
            return
        self.setWindowModified(True)
        if self.run.running and old.training.lr != new.training.lr:
            self.run.set_learning_rate(new.training.lr)
        if starts_new_network(old, new):
            was_trained = self.session is not None and self.session.trained
            self.reset_weights()
            if was_trained:
                self.statusBar().showMessage(
                    "A new network for the edited settings; the trained one is kept in the "
                    "Runs tab (Edit ▸ Undo brings the settings back).", 8000,
                )  # fmt: skip

    def apply_preset(self, name: str) -> None:
        """Make a preset's data, layers and training settings the settings (one undoable
        step), and start a fresh network from them."""
        self.stop_training()
        self.workbench.apply_preset(name)
        self._start_from_preset()

    def _start_from_preset(self) -> None:
        """A preset is a starting point: fresh weights, even if its network has this shape."""
        if self.session is None or self.session.trained:
            self.reset_weights()

    def new_session(self) -> None:
        """Start again from the article's set-up, with no undo history (File ▸ New)."""
        self.stop_training()
        self._restoring = True
        try:
            self.workbench.load(Settings())
        finally:
            self._restoring = False
        self.reset_weights()
        self.runs.forget_current()
        self.setWindowModified(False)

    def reset_weights(self) -> None:
        """Regenerate the data and draw fresh initial weights from the settings."""
        self.stop_training()
        s = self.workbench.settings
        session = fresh_session(s.data, list(s.layers), s.training.init, s.training.dtype)
        self._show_session(session)
        self.runs.forget_current()
        self.loss_plot.clear()
        self._set_state("idle")

    def _show_session(self, session: Session) -> None:
        self.runs.keep_pending()  # trained work of lone Steps is kept before it is replaced
        self.session = session
        self._trainer = None
        ds = session.dataset
        self.data_panel.show_dataset(ds)
        self.predict_panel.set_training_ranges(training_ranges(ds))
        self._show_network()
        self._show_metrics()

    def apply_model(self, model: Model, path: str) -> bool:
        """Restore a loaded model's settings, weights and history (FileActionsHost protocol)."""
        if not self.restore_model(model, f"Opened {os.path.basename(path)}", path):
            return False
        self.runs.forget_current()
        return True

    def restore_model(
        self, model: Model, done: str, path: str = "", undo_text: str | None = None
    ) -> bool:
        """Show ``model``'s settings, weights and history (an opened file or a kept run);
        ``done`` starts the status message. With ``undo_text`` the settings change is an
        undoable step of that name (restoring a run), else the undo history starts afresh
        (an opened file). False (after telling the user) if it cannot."""
        try:
            session = session_from_model(model)
            assert model.data_spec is not None  # session_from_model refuses a model without it
            config = model.train_config or TrainConfig()
            settings = Settings(model.data_spec, tuple(model.network.layers), config)
        except (ValueError, DataSpecError, SettingsError) as exc:
            QMessageBox.warning(self, "Cannot open model", f"{path or done}: {exc}")
            return False
        self._restoring = True
        try:
            if undo_text is None:
                self.workbench.load(settings)
            else:
                self.workbench.edit(settings, undo_text)
        finally:
            self._restoring = False
        self._show_session(session)
        self.loss_plot.set_history(session.history)
        self._set_state(
            OUTCOME_STATES.get(model.outcome, "finished") if session.trained else "idle"
        )
        if session.trained:
            epochs = session.history.epochs
            self.training_panel.show_progress(epochs, epochs, 0.0, None)
        self.statusBar().showMessage(
            f"{done}: {plural(session.history.epochs, 'epoch')} trained", 8000
        )
        return True

    def current_model(self) -> Model:
        """The current network with its data, settings, history and metrics (for saving)."""
        if self.session is None:
            raise RuntimeError("no session")
        if self.run.running:  # paused: the plot holds the history sent so far
            self.session.history = self.loss_plot.history()
        return self.session.model(self.config())

    # ----- exports (ExportSource protocol) ------------------------------------------------
    def export_view(self) -> tuple[QWidget, str]:
        """The visible plot or view and its tab's name."""
        return self.views.currentWidget(), self.views.tabText(self.views.currentIndex()).replace(
            "&", ""
        )

    def export_history(self) -> History:
        """The loss history so far (while a run is going, what it has reported)."""
        if self.run.running or self.session is None:
            return self.loss_plot.history()
        return self.session.history

    def export_fit_rows(self) -> list[dict]:
        """The fit table of the network shown."""
        state = self.views.state
        return [] if state is None else fit_table(state.model, state.dataset)

    def export_base_name(self) -> str:
        """The model file's name without ".npz" ("untitled" before the first save)."""
        path = self.files.path
        return os.path.splitext(os.path.basename(path))[0] if path else "untitled"

    def has_unsaved_work(self) -> bool:
        """Whether trained work would be lost (FileActionsHost protocol): always during a run (even
        the session's first), else when trained epochs are unsaved."""
        trained = self.session is not None and self.session.trained
        return self.run.running or (self.isWindowModified() and trained)

    def set_file(self, path: str | None) -> None:
        """Show ``path`` in the title ("name[*] — nngui") and mark the window unmodified.

        The application's name comes last: Qt appends it on X11 and Windows to titles that do
        not already end with it.
        """
        self.setWindowFilePath(path or "")
        name = os.path.basename(path) if path else "untitled"
        self.setWindowTitle(f"{name}[*] — {APP_NAME}")
        self.setWindowModified(False)
        if path:  # saved (an opened file has forgotten its run first)
            self.runs.mark_current_saved()

    # ----- training -----------------------------------------------------------------------
    @Slot()
    def train(self, epochs: int | None = None) -> None:
        """Train for the configured epochs (or ``epochs``) in a worker thread."""
        if self.run.running or self.session is None:
            return
        if not self._settings_entries_taken():  # a number still being typed is an edit too
            return
        try:
            self.data_panel.spec()
        except DataSpecError as exc:  # the session's data no longer matches the settings shown
            QMessageBox.warning(
                self, "Cannot train",
                f"The data settings cannot be used: {exc}.\n\nFix them in the Data tab, then "
                "train again.",
            )  # fmt: skip
            return
        try:
            config = self.config()
            if config.patience and self.session.dataset.val is None:
                raise TrainConfigError("early stopping needs a validation split (Data tab)")
        except TrainConfigError as exc:
            QMessageBox.warning(self, "Cannot train", str(exc))
            return
        trainer = self._trainer_for(config)
        self._last_progress = None
        self._single_step = epochs == 1
        self.run.start(
            trainer, config.epochs if epochs is None else epochs, restore_best=not self._single_step
        )
        self.runs.run_started()
        self._set_state("training")

    def _settings_entries_taken(self) -> bool:
        """Finish the number being typed in any settings box; False (and why) if one refuses.

        A box that refuses its text shows it, not its value: training then would use a number
        the window does not show, so it waits until the box is corrected (or Esc puts it back).
        """
        panels = (self.data_panel, self.layer_builder, self.training_panel)
        refused = [entry for panel in panels for entry in refused_entries(panel)]
        if not refused:
            return True
        box = refused[0][0]
        tab = self._tab_of(box)
        assert tab is not None  # the panels checked are the tabs' pages
        self.tabs.setCurrentIndex(self.tabs.indexOf(tab))
        box.setFocus()
        box.selectAll()
        reasons = "\n".join(f"• {problem}" for _, problem in refused)
        QMessageBox.warning(
            self, "Cannot train",
            f"{reasons}\n\nCorrect the highlighted box, or press Esc in it to put its setting "
            "back, then train again.",
        )  # fmt: skip
        return False

    def _tab_of(self, widget: QWidget) -> QWidget | None:
        """The settings tab page that holds ``widget``."""
        for i in range(self.tabs.count()):
            page = self.tabs.widget(i)
            if page is not None and page.isAncestorOf(widget):
                return page
        return None

    def _trainer_for(self, config: TrainConfig) -> Trainer:
        """The kept trainer (same data and optimiser state) if possible, else a new one."""
        assert self.session is not None  # train() returns early without a session
        self._trainer = trainer_for(self.session, self._trainer, config)
        return self._trainer

    def step(self) -> None:
        """Train exactly one epoch (within a paused run, or as a run of its own)."""
        if self.run.running:
            self.run.step()
        else:
            self.train(epochs=1)

    def pause(self) -> None:
        """Pause the running training after the current step."""
        if self.run.running:
            self.run.pause()
            self._set_state("paused")

    def resume(self) -> None:
        """Continue a paused training with its remaining epochs."""
        if self.run.running:
            self.run.resume()
            self._set_state("training")

    def stop(self) -> None:
        """Ask the training to stop; the weights so far are kept."""
        self.run.request_stop()

    def stop_training(self) -> None:
        """Stop a running training and wait for its thread, adopting what it trained."""
        if self.run.running:
            self._adopt("interrupted", self.run.stop_and_join())

    @Slot(object)
    def _on_progress(self, report: ProgressReport) -> None:
        self.loss_plot.append(
            report.train_loss, report.eval_epochs, report.val_loss, report.test_loss
        )
        p = self._last_progress = report.progress
        left = p.seconds_left(self.config().time_limit)
        self._show_progress(p.epoch, p.epochs_target, p.epochs_per_second, left)
        self._show_metrics(p.epoch, p.train_loss, p.val_loss, p.test_loss)

    @Slot(object)
    def _on_snapshot(self, params: list) -> None:
        if self.session is not None:
            self.session.network.set_params(params)
            self._show_network(live=True)

    @Slot(int)
    def _on_paused(self, epoch: int) -> None:
        self.files.set_enabled(True)  # the state and the epoch are in the status line already

    @Slot(str, str)
    def _on_ended(self, outcome: str, message: str) -> None:
        if outcome == "failed":
            self._adopt("interrupted", "")
            QMessageBox.critical(self, "Training failed", message)
        else:
            self._adopt(outcome, message)

    def _adopt(self, outcome: str, message: str) -> None:
        """Take over the joined trainer's network and history; show how the run ended."""
        trainer = self._trainer
        if trainer is None or self.session is None:
            return
        s = self.session
        s.network = trainer.net.copy()
        s.history = copy_history(trainer.history)
        s.outcome = outcome
        s.config = trainer.config
        result = self.run.last_result
        s.weights_epoch = None if result is None else weights_epoch_after(result, s.weights_epoch)
        self._sync_plot(s.history)
        self._show_network()
        self._set_state(OUTCOME_STATES.get(outcome, "stopped"))
        self.setWindowModified(True)
        self._show_metrics(full=True)
        p = self._last_progress
        reason = stop_reason(outcome, trainer.config, 0 if result is None else result.epochs_run)
        if p is not None and self._single_step:
            self.training_panel.show_step(s.history.epochs)
        elif p is not None:  # the final count and why it ended, without a stale "time left"
            target = max(p.epochs_target, s.history.epochs)
            self.training_panel.show_ended(s.history.epochs, target, reason)
        why = (
            message
            if outcome == "diverged"
            else kept_reason(outcome, s.weights_epoch, s.history.epochs)
        )
        self.statusBar().showMessage(end_message(reason, why), 8000)
        if outcome == "diverged":
            self.status.show_notice("Training diverged", message)
        if self._single_step:  # a Step alone is a look: kept only if the network is replaced
            self.runs.pending = True
        else:
            self.runs.record(outcome)

    # ----- display ------------------------------------------------------------------------
    def _sync_plot(self, history: History) -> None:
        """Make the plot show exactly ``history`` if some report never reached it (a run
        stopped from code, or the first evaluation made before the worker started)."""
        plotted = self.loss_plot.history().arrays()
        if any(len(plotted[k]) != len(v) for k, v in history.arrays().items()):
            self.loss_plot.set_history(history)

    def _show_progress(self, epoch: int, target: int, rate: float, left: float | None) -> None:
        """The progress bar: of the run, or for Step outside a run, the epoch it reached."""
        if self._single_step:
            self.training_panel.show_step(epoch)
        else:
            self.training_panel.show_progress(epoch, target, rate, left)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.statusBar().clearMessage()  # a message of the previous state is stale
        self.state = state
        self.loss_plot.set_live(state == "training")  # stepped, steady ranges only while live
        self.training_panel.set_state(state)
        editable = state not in ("training", "paused")
        self.data_panel.set_editable(editable)
        self.layer_builder.set_editable(editable)
        self.runs.panel.set_editable(editable)
        self.undo_actions.set_enabled(editable)
        self.files.set_enabled(editable)
        self.status.show_state(state)

    def _show_network(self, live: bool = False) -> None:
        """Show the session's network in the predict panel and the views (``live``: training)."""
        s = self.session
        if s is None:
            return
        model = s.predictor()
        with np.errstate(all="ignore"):
            self.predict_panel.set_predictor(
                list(model.input_names), list(model.output_names), model.predict
            )
        epoch = self.loss_plot.epochs if live else s.kept_epoch
        self.views.set_state(ViewState(model, s.dataset, epoch), live=live)

    def _show_metrics(
        self, epoch: int | None = None, train: float = np.nan, val: float = np.nan,
        test: float = np.nan, full: bool = False,
    ) -> None:  # fmt: skip
        """Latest losses in the status bar; with ``full`` (or no epoch given) final metrics.

        Final metrics are measured on the weights the network holds (perhaps an earlier
        epoch's, restored), as ``nngui info`` reports them, not taken from the history.
        """
        s = self.session
        if s is None or not (s.trained or epoch is not None):
            self.status.show_metrics(metrics_text(None, train, val, test))
            return
        if epoch is not None and not full:
            self.status.show_metrics(metrics_text(epoch, train, val, test))
            return
        metrics = s.model(None).metrics
        train, val, test = (metrics.get(k, {}).get("loss", np.nan) for k in SPLITS)
        text = metrics_text(
            s.kept_epoch, train, val, test, summary_metrics(metrics), trained=s.history.epochs
        )
        self.status.show_metrics(text)

    def _about(self) -> None:
        QMessageBox.about(self, "About nngui", about_text())

    # ----- window events ------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Ask about unsaved work, stop and join the training thread, remember the geometry."""
        for panel in (self.data_panel, self.layer_builder, self.training_panel):
            refused_entries(panel)  # a number still being typed is an edit like any other
        question = self.runs.close_question()
        if not self.files.confirm_discard("closing", question, force=question is not None):
            event.ignore()
            return
        self.stop_training()
        remember_geometry(self)
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        """Accept a dragged .npz file."""
        if dropped_model(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        """Open a dropped .npz file."""
        path = dropped_model(event)
        if path is not None:
            event.acceptProposedAction()
            self.files.open_path(path)
