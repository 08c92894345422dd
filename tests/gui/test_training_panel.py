"""TrainingPanel: settings bound to the workbench (edits undo), run-state buttons, live learning
rate, presets, progress."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QProgressBar
from widget_actions import box, button, combo, named

from nngui.core.presets import PRESETS
from nngui.core.training import TrainConfig
from nngui.gui.training_panel import TrainingPanel, format_duration, progress_text
from nngui.workbench import Settings


@pytest.fixture
def panel(qtbot):
    p = TrainingPanel()
    qtbot.addWidget(p)
    p.show()
    return p


def type_into(qtbot, spin: QAbstractSpinBox, text: str, finish: bool = True) -> None:
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    if finish:
        qtbot.keyClick(spin, Qt.Key.Key_Return)


def choose(qtbot, combo: QComboBox, data: str) -> None:
    """Pick the item whose data is ``data`` with the keyboard, as a user would."""
    combo.setFocus()
    target = combo.findData(data)
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, key)


def click(qtbot, button: QAbstractButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def progress(panel: TrainingPanel) -> QProgressBar:
    return named(panel, "Training progress", QProgressBar)


def test_defaults_are_the_articles_training(panel):
    assert panel.config() == TrainConfig()
    assert box(panel, "Batch size").text() == "Full batch"
    assert box(panel, "Time limit").text() == "No limit"
    assert box(panel, "Early-stopping patience").text() == "Off"


def test_the_workbench_settings_are_shown_and_fields_not_shown_kept(panel, qtbot):
    cfg = TrainConfig(
        optimizer="momentum", lr=0.0005, batch_size=64, momentum=0.8, beta1=0.85, l2=0.001,
        epochs=25_000_000, patience=50, time_limit=12.5, init="xavier", dtype="float32",
        shuffle_seed=3,
    )  # fmt: skip
    bench = panel.workbench
    with qtbot.assertNotEmitted(panel.changed):
        bench.edit(bench.settings.replace(training=cfg))
    assert panel.config() == cfg
    assert box(panel, "Epochs").text() == "25,000,000 epochs"
    optimiser, precision = combo(panel, "Optimiser"), combo(panel, "Precision")
    assert (optimiser.currentData(), precision.currentData()) == ("momentum", "float32")
    batch, patience = box(panel, "Batch size"), box(panel, "Early-stopping patience")
    assert (batch.value(), patience.value(), box(panel, "Time limit").value()) == (64, 50, 12.5)
    type_into(qtbot, box(panel, "L2 weight decay"), "0.002")
    assert panel.config() == dataclasses.replace(cfg, l2=0.002), "beta1 and the seed are kept"


def test_each_edit_is_a_named_step_that_undoes(panel, qtbot):
    stack = panel.workbench.stack
    type_into(qtbot, box(panel, "Learning rate"), "0.003")
    optimiser = combo(panel, "Optimiser")
    choose(qtbot, optimiser, "adam")
    assert stack.texts() == ["Set learning rate to 0.003", "Set optimiser to adam"]
    stack.undo()
    assert optimiser.currentData() == "gd" and not box(panel, "Momentum").isEnabled()
    stack.undo()
    assert box(panel, "Learning rate").value() == 0.01 and panel.config() == TrainConfig()
    assert combo(panel, "Preset").currentData() == "The article's setup"


def test_typed_settings_reach_the_config(panel, qtbot):
    choose(qtbot, combo(panel, "Optimiser"), "adam")
    type_into(qtbot, box(panel, "Learning rate"), "0.003")
    type_into(qtbot, box(panel, "Batch size"), "64")
    type_into(qtbot, box(panel, "Epochs"), "2000")
    choose(qtbot, combo(panel, "Precision"), "float32")
    cfg = panel.config()
    assert (cfg.optimizer, cfg.batch_size, cfg.epochs, cfg.dtype) == ("adam", 64, 2000, "float32")
    assert cfg.lr == pytest.approx(0.003)


def test_momentum_is_editable_only_for_its_optimiser(panel, qtbot):
    assert not box(panel, "Momentum").isEnabled()
    with qtbot.waitSignal(panel.changed):
        choose(qtbot, combo(panel, "Optimiser"), "momentum")
    assert box(panel, "Momentum").isEnabled()
    choose(qtbot, combo(panel, "Optimiser"), "sgd")
    assert not box(panel, "Momentum").isEnabled()


@pytest.mark.parametrize(
    ("state", "enabled"),
    [
        ("idle", {"train", "step", "reset"}),
        ("training", {"pause", "stop"}),
        ("paused", {"pause", "step", "stop", "reset"}),  # Resume, not Train, goes on
        ("finished", {"train", "step", "reset"}),
        ("diverged", {"train", "step", "reset"}),
        ("stopped", {"train", "step", "reset"}),
    ],
)
def test_buttons_follow_the_run_state(panel, state, enabled):
    buttons = {
        name: button(panel, name.capitalize()) for name in ("train", "pause", "step", "stop")
    } | {"reset": button(panel, "Reset weights")}  # found while idle: Pause is not yet Resume
    panel.set_state(state)
    assert {name for name, b in buttons.items() if b.isEnabled()} == enabled
    actions = dict(zip(buttons, panel.run_actions(), strict=True))
    assert {name for name, a in actions.items() if a.isEnabled()} == enabled
    assert actions["pause"].text() == ("Resume" if state == "paused" else "Pause")
    assert panel.state() == state


def test_settings_lock_during_a_run_but_the_learning_rate_stays_live(panel, qtbot):
    panel.set_state("training")
    for name in ("Optimiser", "Batch size", "L2 weight decay", "Epochs", "Precision"):
        assert not named(panel, name).isEnabled()
    assert not box(panel, "Early-stopping patience").isEnabled()
    assert not box(panel, "Time limit").isEnabled()
    assert box(panel, "Learning rate").isEnabled()
    with qtbot.waitSignal(panel.changed):
        type_into(qtbot, box(panel, "Learning rate"), "0.05")
    assert panel.workbench.settings.training.lr == 0.05  # the window gives it to the run
    panel.set_state("finished")
    assert box(panel, "Epochs").isEnabled()


def test_a_learning_rate_typed_but_not_finished_is_no_setting_yet(panel, qtbot):
    with qtbot.assertNotEmitted(panel.changed):
        type_into(qtbot, box(panel, "Learning rate"), "0.02", finish=False)
    assert panel.workbench.settings.training.lr == 0.01
    with qtbot.waitSignal(panel.changed):
        qtbot.keyClick(box(panel, "Learning rate"), Qt.Key.Key_Return)
    assert panel.workbench.settings.training.lr == 0.02


def test_pause_button_toggles_into_resume(panel, qtbot):
    pause = button(panel, "Pause")  # the same button is named Resume while paused
    panel.set_state("training")
    with qtbot.waitSignal(panel.pause_clicked):
        click(qtbot, pause)
    panel.set_state("paused")
    assert pause.text() == "Resume"
    with qtbot.waitSignal(panel.resume_clicked), qtbot.assertNotEmitted(panel.pause_clicked):
        click(qtbot, pause)
    panel.set_state("training")
    assert pause.text() == "Pause"


def test_run_buttons_emit_their_signals(panel, qtbot):
    for name, signal in (
        ("Train", panel.train_clicked),
        ("Step", panel.step_clicked),
        ("Reset weights", panel.reset_clicked),
    ):
        with qtbot.waitSignal(signal):
            click(qtbot, button(panel, name))
    panel.set_state("training")
    with qtbot.waitSignal(panel.stop_clicked):
        click(qtbot, button(panel, "Stop"))


def test_f5_starts_training(panel, qtbot):
    panel.activateWindow()
    lr = box(panel, "Learning rate")
    lr.setFocus()
    with qtbot.waitSignal(panel.train_clicked, timeout=1000):
        qtbot.keyClick(lr, Qt.Key.Key_F5)
    keys = [a.shortcut().toString() for a in panel.run_actions()]
    assert keys == ["F5", "F6", "F7", "Shift+F5", "Ctrl+R"]


def test_a_disabled_button_ignores_its_shortcut(panel, qtbot):
    panel.set_state("training")
    emitted = []
    panel.train_clicked.connect(lambda: emitted.append(True))
    panel.activateWindow()
    lr = box(panel, "Learning rate")
    lr.setFocus()
    qtbot.keyClick(lr, Qt.Key.Key_F5)
    assert not emitted


def test_applying_a_preset_is_one_step_that_undoes(panel, qtbot):
    before = panel.workbench.settings
    choose(qtbot, combo(panel, "Preset"), "Fast and accurate")
    assert panel.config() == before.training, "choosing is not applying"
    click(qtbot, button(panel, "Apply preset"))
    assert panel.workbench.settings == Settings.from_preset("Fast and accurate")
    assert panel.workbench.stack.undo_text() == "Apply preset Fast and accurate"
    panel.workbench.stack.undo()
    assert panel.workbench.settings == before and panel.config() == before.training
    assert combo(panel, "Preset").currentData() == "The article's setup"


def test_applying_a_preset_sets_its_training_and_says_so(panel, qtbot):
    name = "Fast and accurate"
    choose(qtbot, combo(panel, "Preset"), name)
    with qtbot.waitSignal(panel.preset_chosen) as blocker:
        click(qtbot, button(panel, "Apply preset"))
    assert blocker.args == [name]
    assert panel.config() == PRESETS[name].training


def test_progress_text_and_bar(panel):
    panel.show_progress(1234, 10_000, 2345.0, 4.2)
    bar = progress(panel)
    assert bar.text() == "epoch 1,234 / 10,000 · 2,345 epochs/s · 4 s left"
    assert bar.value() == 1234
    assert bar.maximum() == 10_000
    panel.show_progress(10, 100, 2.5, None)
    assert bar.text() == "epoch 10 / 100 · 2.5 epochs/s"


@pytest.mark.parametrize(
    ("seconds", "text"), [(0.4, "0 s"), (59, "59 s"), (125, "2 min 5 s"), (3780, "1 h 3 min")]
)
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


def test_progress_text_without_speed():
    assert progress_text(0, 1000, 0.0, None) == "epoch 0 / 1,000"


def test_unknown_state_is_refused(panel):
    with pytest.raises(ValueError, match="unknown state"):
        panel.set_state("running")


def test_every_control_has_a_tooltip_and_an_accessible_name(panel):
    controls = panel.findChildren(QAbstractSpinBox) + panel.findChildren(QComboBox)
    controls += panel.findChildren(QAbstractButton)
    assert len(controls) >= 7 + 3 + 6
    for control in controls:
        assert control.toolTip(), control
        assert control.accessibleName(), control


def test_idle_state_clears_the_progress(panel):
    panel.show_progress(500, 1000, 100.0, 5.0)
    panel.set_state("stopped")
    assert progress(panel).value() == 500
    panel.set_state("idle")
    assert progress(panel).value() == 0
    assert progress(panel).text() == "Not started"


def test_show_preset_selects_it_without_emitting(qtbot) -> None:
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    emitted = []
    panel.preset_chosen.connect(emitted.append)
    panel.show_preset("Fast and accurate")
    assert combo(panel, "Preset").currentData() == "Fast and accurate"
    assert emitted == []


def test_the_keyboard_focus_follows_the_run_not_the_tab_order(panel, qtbot):
    panel.activateWindow()
    train = button(panel, "Train")
    train.setFocus()
    qtbot.waitUntil(train.hasFocus)
    panel.set_state("training")
    assert button(panel, "Pause").hasFocus(), "not the learning-rate box"
    panel.set_state("finished")
    assert train.hasFocus()


def test_class_weights_are_a_classifiers_choice(qtbot):
    from nngui.core.playground_source import PlaygroundSpec
    from nngui.workbench import Workbench

    bench = Workbench()
    bench.start_fresh()
    p = TrainingPanel(bench)
    qtbot.addWidget(p)
    weights = combo(p, "Class weights")
    assert not weights.isEnabled(), "a regression has no classes"
    bench.set_data_spec(PlaygroundSpec(dataset="gauss"))
    assert weights.isEnabled()
    weights.setCurrentIndex(weights.findData("balanced"))
    weights.activated.emit(weights.currentIndex())
    assert bench.settings.training.class_weight == "balanced"
    assert bench.stack.undo_text() == "Set class weights to balanced"
    p.set_state("training")
    assert not weights.isEnabled()
    p.set_state("idle")
    bench.stack.undo()
    assert weights.currentData() == "none"
