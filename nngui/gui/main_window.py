"""The main window: composes the panels and views and binds them to one Workbench.

Left, in tabs: the data settings, the layer builder and the training controls, all bound to
the workbench (the settings and their undo stack, shown in the Edit menu). Right: the views
(loss plot, network, fit, error map, inside, runs) above the predict panel. The window holds no
state of its own: it shows the workbench's session when it is replaced, its run state when it
changes and whether it is modified; the ``RunController`` runs the training, the file and
export actions read and replace the session through the workbench.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QSplitter, QTabWidget, QWidget

from nngui.core.model import Model
from nngui.core.response_map import training_medians
from nngui.core.training import TrainConfig
from nngui.gui.about import about_text
from nngui.gui.data_actions import DataActions, dropped_data
from nngui.gui.data_errors import refusing_unreadable
from nngui.gui.data_panel import DataPanel
from nngui.gui.export_actions import ExportActions
from nngui.gui.file_actions import FileActions, dropped_model
from nngui.gui.icon import app_icon
from nngui.gui.layer_builder import LayerBuilder
from nngui.gui.loss_plot import LossPlot
from nngui.gui.number_box import refused_entries
from nngui.gui.predict_csv_action import PredictCsvAction
from nngui.gui.predict_panel import PredictPanel, class_probabilities
from nngui.gui.run_controller import RunController
from nngui.gui.runs_binding import RunsBinding
from nngui.gui.status_line import StatusLine
from nngui.gui.training_panel import TrainingPanel
from nngui.gui.training_run import TrainingRun
from nngui.gui.undo_stack import QtCommandStack, UndoActions
from nngui.gui.views.base import ViewState
from nngui.gui.views.confusion_view import ConfusionView
from nngui.gui.views.decision_map_view import DecisionMapView
from nngui.gui.views.error_map_view import ErrorMapView
from nngui.gui.views.fit_view import FitView
from nngui.gui.views.inside_view import InsideView
from nngui.gui.views.network_view import NetworkView
from nngui.gui.views.view_tabs import ViewTabs
from nngui.gui.widgets import describe, scrolled
from nngui.gui.window_geometry import remember_geometry, restore_geometry
from nngui.workbench import RunState, Settings, Workbench
from nngui.workbench.session import Session, session_metrics


class MainWindow(QMainWindow):
    """The nngui workbench: build, train and try a network, save and open models."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowIcon(app_icon())
        self.workbench = Workbench(stack=QtCommandStack(self))
        self.run = TrainingRun(self)
        self._build_panels()
        self.runs = RunsBinding(self.workbench, self)
        self.views.addTab(self.runs.panel, "Runs")
        self.runner = RunController(self)
        self.files = FileActions(
            self, self.workbench, self.stop_training, self.runs.selected_for_saving
        )
        self.exports = ExportActions(self, self.views, self.workbench, self.files.base_name)
        self.data = DataActions(self, self.workbench, self.stop_training)
        self._build_menus()
        self.status = StatusLine(self)
        self._connect()
        self.setAcceptDrops(True)
        self.workbench.start_fresh()
        self.workbench.set_modified(False)
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
        self.error_map = ErrorMapView()
        self.decision_map = DecisionMapView()
        self.confusion = ConfusionView()
        views = [self.decision_map, NetworkView(), FitView(), self.error_map, InsideView()]
        views.append(self.confusion)
        self.views = ViewTabs(self.loss_plot, "L&oss", views)
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
        self.predict_csv = PredictCsvAction(self, self.workbench)
        self.files.fill_menu(
            bar.addMenu("&File"), export_menu, [self.predict_csv.action],
            [self.data.open_action, self.data.examples_menu],
        )  # fmt: skip
        self.undo_actions = UndoActions(self.workbench.stack, self)
        bar.addMenu("&Edit").addActions([self.undo_actions.undo, self.undo_actions.redo])
        view = bar.addMenu("&View")
        fit = view.addAction("&Fit Loss Plot")
        fit.setToolTip("Show the whole loss history and follow new epochs")
        fit.triggered.connect(self.loss_plot.auto_range)
        # The run's actions, whose shortcuts (F5, F6, F7, Shift+F5, Ctrl+R) work on every tab.
        bar.addMenu("&Training").addActions(self.training_panel.run_actions())
        about = bar.addMenu("&Help").addAction("&About nngui")
        about.triggered.connect(lambda: QMessageBox.about(self, "About nngui", about_text()))

    def _connect(self) -> None:
        wb = self.workbench
        wb.subscribe(self._on_settings)
        wb.subscribe_session(self._on_session)
        wb.subscribe_state(self._on_state)
        wb.subscribe_modified(self.setWindowModified)
        stack = wb.stack
        if isinstance(stack, QtCommandStack):
            stack.failed.connect(
                lambda message: QMessageBox.warning(
                    self, "Cannot undo or redo", f"{message}\n\nNothing was changed."
                )
            )
        self.predict_panel.inputs_changed.connect(self._hold_inputs)
        self.data_panel.open_csv_requested.connect(self.data.open_data)
        self.data_panel.import_requested.connect(self.data.edit_import)
        tp = self.training_panel
        tp.train_clicked.connect(self.train)
        tp.pause_clicked.connect(self.runner.pause)
        tp.resume_clicked.connect(self.runner.resume)
        tp.step_clicked.connect(self.step)
        tp.stop_clicked.connect(self.stop)
        tp.reset_clicked.connect(self.reset_weights)
        tp.preset_chosen.connect(lambda _name: self._start_from_preset())

    # ----- the model ----------------------------------------------------------------------
    @property
    def session(self) -> Session | None:
        """The workbench's session: the network shown, its data and history."""
        return self.workbench.session

    @property
    def state(self) -> RunState:
        """What the session's training is doing."""
        return self.workbench.state

    def config(self) -> TrainConfig:
        """The training settings (the initialisation and precision included)."""
        return self.workbench.settings.training

    def has_unsaved_work(self) -> bool:
        """Whether trained work would be lost (always during a run)."""
        return self.workbench.has_unsaved_work()

    def current_model(self) -> Model:
        """The session's model, as Save would write it."""
        return self.workbench.current_model()

    # ----- following the workbench --------------------------------------------------------
    def _on_settings(self, old: Settings, new: Settings) -> None:
        """A learning rate typed during a run reaches the run."""
        if self.run.running and old.training.lr != new.training.lr:
            self.run.set_learning_rate(new.training.lr)

    def _on_session(self, old: Session | None, new: Session) -> None:
        """Show a new session: its data, network, metrics and history."""
        self.data_panel.show_dataset(new.dataset)
        self.predict_panel.set_training_inputs(new.dataset.train.x, training_medians(new.dataset))
        if new.trained:
            self.loss_plot.set_history(new.history)
            self.training_panel.show_progress(new.history.epochs, new.history.epochs, 0.0, None)
        else:
            self.loss_plot.clear()
        self._show_task_views(new.dataset.task == "classification")
        self.show_network()
        self._hold_inputs()  # the values the panel shows
        self.show_metrics()
        kept = self.workbench.replaced_run
        if old is not None and old.trained and kept is not None and not new.trained:
            self.statusBar().showMessage(
                f"A new network for these settings; the trained one is {kept.name} in the Runs "
                "tab (Edit ▸ Undo brings the settings back).", 8000,
            )  # fmt: skip

    def _on_state(self, state: RunState) -> None:
        """Enable what makes sense in ``state`` and say it in the status line."""
        self.statusBar().clearMessage()  # a message of the previous state is stale
        self.loss_plot.set_live(state is RunState.TRAINING)  # stepped ranges only while live
        self.training_panel.set_state(state.value)
        editable = not state.running
        for panel in (self.data_panel, self.layer_builder, self.runs.panel):
            panel.set_editable(editable)
        self.undo_actions.set_enabled(editable)
        self.predict_csv.set_enabled(editable)
        self.files.set_enabled(editable)
        self.data.set_enabled(editable)
        self.status.show_state(state.value)

    # ----- sessions -----------------------------------------------------------------------
    def reset_weights(self) -> None:
        """Regenerate the data and draw fresh initial weights from the settings."""
        self.stop_training()
        refusing_unreadable(self, self.workbench.start_fresh)

    def apply_preset(self, name: str) -> None:
        """Make a preset's settings the settings (one undoable step) and start a fresh
        network from them."""
        self.stop_training()
        if refusing_unreadable(self, lambda: self.workbench.apply_preset(name)):
            self._start_from_preset()

    def _start_from_preset(self) -> None:
        """A preset is a starting point: fresh weights, even if its network has this shape."""
        if self.session is not None and self.session.trained:
            refusing_unreadable(self, self.workbench.start_fresh)

    # ----- training -----------------------------------------------------------------------
    def train(self, epochs: int | None = None) -> None:
        """Train for the configured epochs (or ``epochs``) in a worker thread."""
        self.runner.train(epochs)

    def step(self) -> None:
        """Train exactly one epoch (within a paused run, or as a run of its own)."""
        self.runner.step()

    def stop(self) -> None:
        """Ask the training to stop; the weights so far are kept."""
        self.runner.stop()

    def stop_training(self) -> None:
        """Stop a running training and wait for its thread, adopting what it trained."""
        self.runner.stop_and_wait()

    # ----- display ------------------------------------------------------------------------
    def _hold_inputs(self) -> None:
        """The maps hold the inputs that are not their axes at the Predict panel's values."""
        values = self.predict_panel.inputs()
        self.error_map.set_held(values)
        self.decision_map.set_held(values)

    def _show_task_views(self, classifier: bool) -> None:
        """The views of a classifier (its decision map …) are tabs only for a classifier."""
        for view in (self.decision_map, self.confusion):
            self.views.setTabVisible(self.views.indexOf(view), classifier)

    def show_network(self, live: bool = False) -> None:
        """Show the session's network in the predict panel and the views (``live``: training)."""
        s = self.session
        if s is None:
            return
        model = s.predictor()
        with np.errstate(all="ignore"):
            self.predict_panel.set_predictor(
                list(model.input_names), list(model.output_names), model.predict,
                model.input_columns,
            )  # fmt: skip
            self.predict_panel.set_classifier(model.classes, class_probabilities(model))
        epoch = self.loss_plot.epochs if live else s.kept_epoch
        self.views.set_state(ViewState(model, s.dataset, epoch), live=live)

    def show_metrics(
        self, epoch: int | None = None, train: float = np.nan, val: float = np.nan,
        test: float = np.nan, full: bool = False, accuracy: float = np.nan,
    ) -> None:  # fmt: skip
        """Latest losses (and a classifier's test ``accuracy``) in the status line; with
        ``full`` (or no epoch given) the final metrics of the weights the network holds, as
        ``nngui info`` reports them."""
        text = session_metrics(self.session, epoch, train, val, test, full, accuracy)
        self.status.show_metrics(text)

    # ----- window events ------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Ask about unsaved work, stop and join the training thread, remember the geometry."""
        for panel in (self.data_panel, self.layer_builder, self.training_panel):
            refused_entries(panel)  # a number still being typed is an edit like any other
        if not self.files.confirm_discard("closing", closing=True):
            event.ignore()
            return
        self.data.close_dialog()
        self.stop_training()
        self.predict_csv.cancel_and_wait()
        remember_geometry(self)
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        """Accept a dragged .npz model or CSV file (not while training)."""
        if self.state.running:
            return
        if dropped_model(event) is not None or dropped_data(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        """Open a dropped .npz model, or import a dropped CSV file."""
        if self.state.running:
            return
        model, data = dropped_model(event), dropped_data(event)
        if model is not None:
            event.acceptProposedAction()
            self.files.open_path(model)
        elif data is not None:
            event.acceptProposedAction()
            self.data.open_path(data)
