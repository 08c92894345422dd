"""The training panel: optimiser and stopping settings, presets, run controls and progress.

The settings bind to a Workbench: each finished edit is a workbench edit (the edits of one
visit to a box merge into one undo step), Apply makes the chosen preset the workbench's
settings, and every change of the workbench's training settings is shown, with the preset
they match. The panel never trains: its buttons emit signals, the main window drives the
worker and tells the panel the run's state (``set_state``) and progress (``show_progress``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QStyle,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from nngui.core.presets import PRESETS
from nngui.core.training import DTYPES, TrainConfig, TrainConfigError
from nngui.gui.data_errors import UNREADABLE, refusing_unreadable, warn_unreadable
from nngui.gui.number_box import FloatBox, IntBox
from nngui.gui.widgets import align_form_labels, describe, float_spin, int_spin, run_preview
from nngui.workbench import Settings, SettingsError, Workbench

STATES = ("idle", "training", "paused", "finished", "diverged", "stopped")
OPTIMIZER_LABELS = {
    "gd": "Gradient descent (the article's)",
    "sgd": "SGD (minibatches)",
    "momentum": "SGD with momentum",
    "adam": "Adam",
}
DTYPE_LABELS = {"float64": "float64 (double)", "float32": "float32 (single, faster)"}
MAX_EPOCHS = 100_000_000
MAX_BATCH = 10_000_000


def format_duration(seconds: float) -> str:
    """A short human duration: "4 s", "2 min 5 s", "1 h 3 min"."""
    s = max(0, round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    return f"{s // 3600} h {s % 3600 // 60} min"


def progress_text(epoch: int, target: int, rate: float, seconds_left: float | None) -> str:
    """The progress bar's text, e.g. "epoch 1,234 / 10,000 · 2,345 epochs/s · 4 s left"."""
    parts = [f"epoch {epoch:,} / {target:,}"]
    if rate > 0:
        parts.append(f"{rate:,.0f} epochs/s" if rate >= 10 else f"{rate:.1f} epochs/s")
    if seconds_left is not None:
        parts.append(f"{format_duration(seconds_left)} left")
    return " · ".join(parts)


#: The progress bar's tooltip while a run goes on (at its end it says why it ended).
PROGRESS_TIP = "Epochs run so far."


class TrainingPanel(QWidget):
    """Edit the training settings and start, pause, step, stop or reset training."""

    train_clicked = Signal()  # the user asked to start training
    pause_clicked = Signal()  # … to pause a running training
    resume_clicked = Signal()  # … to resume a paused training
    step_clicked = Signal()  # … to run exactly one epoch
    stop_clicked = Signal()  # … to stop training (the weights so far are kept)
    reset_clicked = Signal()  # … to draw fresh initial weights
    preset_chosen = Signal(str)  # a preset (a key of PRESETS) was applied by the user
    changed = Signal()  # a setting edited by the user (never when the workbench's are shown)

    def __init__(self, workbench: Workbench | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workbench = workbench if workbench is not None else Workbench()
        self._state = "idle"
        self._visit = 0  # edits of one box merge until its edit is finished (Return, Tab)
        layout = QVBoxLayout(self)
        layout.addWidget(self._preset_group())
        self._optimiser_box = self._optimiser_group()
        self._stopping_box = self._stopping_group()
        layout.addWidget(self._optimiser_box)
        layout.addWidget(self._stopping_box)
        layout.addLayout(self._controls())
        self._progress = describe(QProgressBar(), "Training progress", PROGRESS_TIP)
        self._progress.setTextVisible(True)
        layout.addWidget(self._progress)
        layout.addStretch(1)
        optimiser, stopping = self._optimiser_box.layout(), self._stopping_box.layout()
        assert isinstance(optimiser, QFormLayout) and isinstance(stopping, QFormLayout)
        align_form_labels(optimiser, stopping)
        self._bind()
        self._show_config(self.workbench.settings.training)
        self.show_preset(self.workbench.settings.preset)
        self.set_state("idle")
        stops = [
            self.workbench.subscribe(self._on_settings),
            self.workbench.subscribe_session(lambda _old, _new: self._update_enabled()),
        ]
        self.destroyed.connect(lambda *_: [stop() for stop in stops])

    # ----- construction -------------------------------------------------------------------
    def _preset_group(self) -> QGroupBox:
        box = QGroupBox("Preset")
        row = QHBoxLayout(box)
        self._preset = describe(
            QComboBox(), "Preset",
            "A complete starting point. Empty (\"Custom settings\") when the data, layers or "
            "training settings are not exactly those of a preset.",
        )  # fmt: skip
        self._preset.setPlaceholderText("Custom settings")
        for name, preset in PRESETS.items():
            self._preset.addItem(name, name)
            self._preset.setItemData(
                self._preset.count() - 1, preset.description, Qt.ItemDataRole.ToolTipRole
            )
        self._apply = describe(
            QPushButton("Appl&y"), "Apply preset",
            "Replace the data, layers and training settings with the chosen preset's.",
        )  # fmt: skip
        self._apply.clicked.connect(self._on_apply_preset)
        self._preset.currentIndexChanged.connect(self._update_enabled)
        row.addWidget(self._preset, 1)
        row.addWidget(self._apply)
        return box

    def _optimiser_group(self) -> QGroupBox:
        box = QGroupBox("Optimiser")
        form = QFormLayout(box)
        self._optimizer = describe(
            QComboBox(), "Optimiser", "How the gradient turns into a weight update."
        )
        for name, label in OPTIMIZER_LABELS.items():
            self._optimizer.addItem(label, name)
        self._lr = float_spin(
            1e-6, 10.0, 0.01, name="Learning rate",
            tip="Step size of each update. Can be changed while training runs.",
        )  # fmt: skip
        self._batch = int_spin(
            0, MAX_BATCH, 0, name="Batch size", special="Full batch",
            tip="Samples per update; Full batch uses the whole training set every step.",
        )  # fmt: skip
        self._momentum = float_spin(
            0.0, 0.999, 0.9, name="Momentum", step=0.01,
            tip="Share of the previous update carried into the next (SGD with momentum only).",
        )  # fmt: skip
        self._l2 = float_spin(
            0.0, 10.0, 0.0, name="L2 weight decay", special="Off",
            tip="Penalty on large weights, added to the loss as l2 / 2 × Σ w².",
        )  # fmt: skip
        self._dtype = describe(
            QComboBox(), "Precision",
            "Floating-point type of the weights and data; float32 is faster, float64 exact.",
        )  # fmt: skip
        for name in DTYPES:
            self._dtype.addItem(DTYPE_LABELS.get(name, name), name)
        self._class_weight = describe(
            QComboBox(), "Class weights",
            "For a classifier of unbalanced data: Balanced weighs each row by the inverse of "
            "its class's share of the training rows, so a rare class counts as much as a "
            "common one. (A regression has no classes.)",
        )  # fmt: skip
        self._class_weight.addItem("None: every row the same", "none")
        self._class_weight.addItem("Balanced: rarer classes weigh more", "balanced")
        form.addRow("O&ptimiser:", self._optimizer)
        form.addRow("Le&arning rate:", self._lr)
        form.addRow("&Batch size:", self._batch)
        form.addRow("&Momentum:", self._momentum)
        form.addRow("L&2 weight decay:", self._l2)
        form.addRow("P&recision:", self._dtype)
        form.addRow("Class &weights:", self._class_weight)
        return box

    def _stopping_group(self) -> QGroupBox:
        box = QGroupBox("Stopping")
        form = QFormLayout(box)
        self._epochs = int_spin(
            0, MAX_EPOCHS, 1000, name="Epochs", suffix=" epochs",
            tip="How many passes over the training set to run.",
        )  # fmt: skip
        self._patience = int_spin(
            0, MAX_EPOCHS, 0, name="Early-stopping patience", special="Off", suffix=" epochs",
            tip="Stop when the validation loss has not improved for this many epochs and keep "
            "the best weights (needs a validation split).",
        )  # fmt: skip
        self._time = float_spin(
            0.0, 7 * 86400.0, 0.0, name="Time limit", special="No limit", suffix=" s",
            step=10.0, tip="Stop after this many seconds of training.",
        )  # fmt: skip
        form.addRow("Epo&chs:", self._epochs)
        form.addRow("Patie&nce:", self._patience)
        form.addRow("T&ime limit:", self._time)
        return box

    def _button(self, text: str, icon: QStyle.StandardPixmap, key: str, tip: str) -> QPushButton:
        """A button and its twin action, which carries the shortcut (see ``run_actions``)."""
        button = QPushButton(self.style().standardIcon(icon), text)
        describe(button, text.replace("&", ""), f"{tip} ({key})")
        action = QAction(button.icon(), text, self)
        action.setShortcut(QKeySequence(key))
        action.setToolTip(f"{tip} ({key})")
        action.triggered.connect(button.click)  # click() does nothing while disabled
        self.addAction(action)  # the shortcut works in this panel even without the menu
        self._actions.append((button, action))
        return button

    def _controls(self) -> QGridLayout:
        sp = QStyle.StandardPixmap
        self._actions: list[tuple[QPushButton, QAction]] = []
        self._train = self._button("Train", sp.SP_MediaPlay, "F5", "Start training")
        self._pause = self._button("Pause", sp.SP_MediaPause, "F6", "Pause or resume training")
        self._step = self._button("Step", sp.SP_MediaSkipForward, "F7", "Train one epoch")
        self._stop = self._button("Stop", sp.SP_MediaStop, "Shift+F5", "Stop training")
        self._reset = self._button(
            "Reset weights", sp.SP_BrowserReload, "Ctrl+R", "Draw fresh initial weights"
        )
        self._train.clicked.connect(self.train_clicked)
        self._pause.clicked.connect(self._on_pause)
        self._step.clicked.connect(self.step_clicked)
        self._stop.clicked.connect(self.stop_clicked)
        self._reset.clicked.connect(self.reset_clicked)
        grid = QGridLayout()
        for i, button in enumerate((self._train, self._pause, self._step, self._stop)):
            grid.addWidget(button, 0, i)
        grid.addWidget(self._reset, 1, 0, 1, 4)
        return grid

    def _sync_actions(self) -> None:
        """Give each action its button's text, icon and enabled state."""
        for button, action in self._actions:
            action.setEnabled(button.isEnabled())
            action.setText(button.text())
            action.setIcon(button.icon())

    # ----- public API ---------------------------------------------------------------------
    def run_actions(self) -> list[QAction]:
        """Train, Pause/Resume, Step, Stop and Reset weights as actions with their shortcuts.

        For a window menu: there the shortcuts (F5, F6, F7, Shift+F5, Ctrl+R) work whichever
        settings tab is showing. Each action clicks its button, so it does what the button does
        and is enabled when the button is.
        """
        return [action for _, action in self._actions]

    def config(self) -> TrainConfig:
        """The workbench's training settings (those shown)."""
        return self.workbench.settings.training

    def _show_config(self, cfg: TrainConfig) -> None:
        """Show ``cfg`` in the widgets without emitting ``changed``."""
        spins: tuple[IntBox | FloatBox, ...] = (self._lr, self._batch, self._momentum, self._l2)
        spins += (self._epochs, self._patience, self._time)
        combos = (self._optimizer, self._dtype, self._class_weight)
        blockers = [QSignalBlocker(w) for w in (*spins, *combos)]
        self._optimizer.setCurrentIndex(self._optimizer.findData(cfg.optimizer))
        self._lr.setValue(cfg.lr)
        self._batch.setValue(min(cfg.batch_size, MAX_BATCH))
        self._momentum.setValue(cfg.momentum)
        self._l2.setValue(cfg.l2)
        self._epochs.setValue(cfg.epochs)
        self._patience.setValue(min(cfg.patience, MAX_EPOCHS))
        self._time.setValue(cfg.time_limit)
        self._dtype.setCurrentIndex(self._dtype.findData(cfg.dtype))
        self._class_weight.setCurrentIndex(self._class_weight.findData(cfg.class_weight))
        for blocker in blockers:
            blocker.unblock()
        self._update_enabled()

    def state(self) -> str:
        """The run state last given to ``set_state``."""
        return self._state

    def show_preset(self, name: str | None) -> None:
        """Show ``name`` (a PRESETS name) as the chosen preset, or None: "Custom settings"."""
        index = self._preset.findData(name) if name is not None else -1
        with QSignalBlocker(self._preset):
            self._preset.setCurrentIndex(index)
        self._update_enabled()

    def set_state(self, state: str) -> None:
        """Enable the buttons and settings that make sense in ``state`` (one of STATES)."""
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}; expected one of {', '.join(STATES)}")
        self._state = state
        focused = QApplication.focusWidget()
        running = state in ("training", "paused")
        self._train.setEnabled(not running)  # a paused run goes on with Resume or Step
        self._pause.setEnabled(running)
        paused = state == "paused"
        self._pause.setText("Resume" if paused else "Pause")
        self._pause.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MediaPlay if paused else QStyle.StandardPixmap.SP_MediaPause
        ))  # fmt: skip
        self._pause.setAccessibleName(self._pause.text())
        self._step.setEnabled(state != "training")
        self._stop.setEnabled(running)
        self._reset.setEnabled(state != "training")
        self._sync_actions()
        buttons = (self._train, self._pause, self._step, self._stop, self._reset)
        if focused in buttons and not focused.isEnabled():
            # Not on to the next box in the tab order (the learning rate): on to what is next.
            (self._pause if state == "training" else self._train).setFocus()
        if state == "idle":  # fresh weights: nothing run yet
            self._progress.setRange(0, 1)
            self._progress.setValue(0)
            self._progress.setFormat("Not started")
        self._update_enabled()

    def show_progress(
        self, epoch: int, target: int, epochs_per_second: float, seconds_left: float | None
    ) -> None:
        """Show how far the run is: a bar to ``target`` epochs, the speed and the time left."""
        self._progress.setRange(0, max(target, 1))
        self._progress.setValue(min(epoch, max(target, 1)))
        self._progress.setFormat(progress_text(epoch, target, epochs_per_second, seconds_left))
        self._progress.setToolTip(PROGRESS_TIP)

    def show_ended(self, epoch: int, target: int, reason: str) -> None:
        """Show where a run ended and why, e.g. "epoch 684 / 10,000 · time limit (10 s)"; a
        reason too long for the bar loses its explanation in brackets there (the tooltip and
        the status bar keep it)."""
        self._progress.setRange(0, max(target, 1))
        self._progress.setValue(min(epoch, max(target, 1)))
        text = f"epoch {epoch:,} / {target:,} · {reason}"
        room = self._progress.contentsRect().width() - 16
        if self._progress.fontMetrics().horizontalAdvance(text) > room:
            text = f"epoch {epoch:,} / {target:,} · {reason.split(' (')[0]}"
        self._progress.setFormat(text)
        self._progress.setToolTip(f"Run ended at epoch {epoch:,} of {target:,}: {reason}")

    def show_step(self, epoch: int) -> None:
        """Show that Step, outside a run, trained up to ``epoch`` (no target, no time left)."""
        self._progress.setRange(0, 1)
        self._progress.setValue(1)
        self._progress.setFormat(f"epoch {epoch:,} · one step")

    # ----- reactions ----------------------------------------------------------------------
    def _update_enabled(self) -> None:
        """Lock the settings a run cannot change; momentum only matters for its optimiser."""
        free = self._state not in ("training", "paused")
        for w in (self._optimizer, self._batch, self._l2, self._dtype, self._preset):
            w.setEnabled(free)
        self._apply.setEnabled(free and self._preset.currentIndex() >= 0)
        self._stopping_box.setEnabled(free)
        self._momentum.setEnabled(free and self._optimizer.currentData() == "momentum")
        session = self.workbench.session
        classifier = session is not None and session.dataset.task == "classification"
        self._class_weight.setEnabled(free and classifier)

    # ----- binding ------------------------------------------------------------------------
    def _bind(self) -> None:
        """Make each box's finished edit, and each choice, a workbench edit."""
        boxes: dict[str, IntBox | FloatBox] = {
            "lr": self._lr, "batch_size": self._batch, "momentum": self._momentum,
            "l2": self._l2, "epochs": self._epochs, "patience": self._patience,
            "time_limit": self._time,
        }  # fmt: skip
        for name, box in boxes.items():
            box.valueChanged.connect(lambda v, n=name, b=box: self._edited(b, n, v))
            box.editingFinished.connect(self._end_visit)
        combos = {"optimizer": self._optimizer, "dtype": self._dtype}
        for name, combo in (combos | {"class_weight": self._class_weight}).items():
            combo.activated.connect(lambda _i, n=name, c=combo: self._edited(c, n, c.currentData()))

    def _on_settings(self, old: Settings, new: Settings) -> None:
        """Show the workbench's training settings and the preset they match."""
        if old.training != new.training:
            self._show_config(new.training)
        if old.preset != new.preset or self._preset.currentData() != new.preset:
            self.show_preset(new.preset)

    def _edited(self, widget: QWidget, name: str, value: Any) -> None:
        """Make ``name = value`` (shown in ``widget``) the workbench's setting, or say why not."""
        # Arrowing through a list is one choice; so are the edits of one visit to a box.
        combo = name in ("optimizer", "dtype", "class_weight")
        key = ("training", name) if combo else ("training", name, self._visit)
        try:
            self.workbench.set_training(merge_key=key, **{name: value})
        except (TrainConfigError, SettingsError) as exc:
            QToolTip.showText(widget.mapToGlobal(widget.rect().bottomLeft()), str(exc), widget)
            self._show_config(self.workbench.settings.training)  # the setting stays as it was
            return
        except UNREADABLE as exc:  # a new precision needs a new network on unreadable data
            warn_unreadable(self, exc)
            self._show_config(self.workbench.settings.training)
            return
        self._update_enabled()
        self.changed.emit()

    def _end_visit(self) -> None:
        self._visit += 1

    def _on_pause(self) -> None:
        if self._state == "paused":
            self.resume_clicked.emit()
        else:
            self.pause_clicked.emit()

    def _on_apply_preset(self) -> None:
        name = self._preset.currentData()
        if name is None:
            return
        if not refusing_unreadable(self, lambda: self.workbench.apply_preset(name)):
            return
        self.show_preset(self.workbench.settings.preset)
        self.preset_chosen.emit(name)


if __name__ == "__main__":
    run_preview(TrainingPanel, "Training panel preview")
