"""MainWindow: edits after training start a new network without asking and keep the trained
one in the Runs tab; every edit is named in the Edit menu and undoes; the run controls work from
every tab; the status, views and progress bar tell the truth about the weights shown."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressBar, QTableWidget
from widget_actions import box, button, click, combo, named, type_into

from nngui.core.model_file import load_model
from nngui.gui import MainWindow

Reply = QMessageBox.StandardButton


@pytest.fixture
def window(main_window):
    return main_window


def trained(qtbot, window: MainWindow) -> list[np.ndarray]:
    """One epoch trained (unsaved work); the weights it gave."""
    window.tabs.setCurrentIndex(2)
    click(qtbot, button(window.training_panel, "Step"))
    qtbot.waitUntil(lambda: window.state == "finished", timeout=10_000)
    assert window.has_unsaved_work()
    return [p.copy() for p in window.session.network.params]


def same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def undo_text(window: MainWindow) -> str:
    """The Edit menu's Undo item as shown."""
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    return menu.actions()[0].text()


def kept_run(window: MainWindow, weights: list[np.ndarray], epochs: int = 1) -> None:
    """The trained network is in the Runs list, with its epochs and weights."""
    runs = list(window.runs.runs)
    assert runs, "the trained network is kept in the Runs tab"
    assert runs[-1].epochs == epochs and same(weights, list(runs[-1].params))


def test_a_data_edit_after_training_starts_over_without_asking(window, answers, qtbot):
    weights = trained(qtbot, window)
    window.tabs.setCurrentIndex(0)
    type_into(qtbot, box(window.data_panel, "Seed"), "7")
    assert not answers.asked("question")
    assert window.session.dataset.spec.seed == 7 and window.session.history.epochs == 0
    assert window.state == "idle" and window.isWindowModified()
    kept_run(window, weights)
    assert "the trained one is Run 1 in the Runs tab" in window.statusBar().currentMessage()
    assert undo_text(window) == "&Undo Set random seed to 7"
    window.undo_actions.undo.trigger()
    assert window.data_panel.spec().seed == 42 == window.session.dataset.spec.seed
    assert window.session.history.epochs == 0 and len(window.runs.runs) == 1
    assert window.undo_actions.redo.text() == "&Redo Set random seed to 7"


def test_a_layer_edit_after_training_starts_over_and_undoes(window, answers, qtbot):
    weights = trained(qtbot, window)
    layers = window.layer_builder.layers()
    window.tabs.setCurrentIndex(1)
    click(qtbot, button(window.layer_builder, "Add"))
    assert not answers.asked("question")
    assert len(window.session.network.layers) == len(layers) + 1
    assert window.session.history.epochs == 0
    kept_run(window, weights)
    assert undo_text(window) == "&Undo Add layer"
    click(qtbot, button(window.layer_builder, "Undo"))
    assert window.layer_builder.layers() == layers == window.session.network.layers


def test_reset_weights_and_presets_never_ask_and_lose_nothing(window, answers, qtbot):
    weights = trained(qtbot, window)
    panel = window.training_panel
    click(qtbot, button(panel, "Reset weights"))
    assert window.session.history.epochs == 0 and not answers.asked("question")
    kept_run(window, weights)
    preset = combo(panel, "Preset")
    preset.setCurrentIndex(preset.findData("Fast and accurate"))
    click(qtbot, button(panel, "Apply preset"))
    assert not answers.asked("question")
    assert window.config().optimizer == "adam" and window.session.history.epochs == 0
    assert undo_text(window) == "&Undo Apply preset Fast and accurate"
    window.undo_actions.undo.trigger()
    assert combo(panel, "Preset").currentData() == "The article's setup"
    assert window.config().optimizer == "gd" and window.session.network.sizes == [2, 4, 4, 3]


def test_the_edit_menu_names_every_kind_of_edit(window, qtbot):
    window.tabs.setCurrentIndex(0)
    type_into(qtbot, box(window.data_panel, "Samples"), "5000")
    assert undo_text(window) == "&Undo Set samples to 5,000"
    window.tabs.setCurrentIndex(1)
    combo(window.layer_builder, "Output activation").setFocus()
    qtbot.keyClick(combo(window.layer_builder, "Output activation"), Qt.Key.Key_Down)
    assert undo_text(window) == "&Undo Set output activation to tanh"
    window.tabs.setCurrentIndex(2)
    type_into(qtbot, box(window.training_panel, "Epochs"), "300")
    assert undo_text(window) == "&Undo Set epochs to 300"
    window.apply_preset("Fast and accurate")
    assert undo_text(window) == "&Undo Apply preset Fast and accurate"
    assert window.workbench.stack.count() == 4


def test_ctrl_z_and_ctrl_shift_z_undo_and_redo_from_any_tab(window, qtbot):
    window.tabs.setCurrentIndex(2)
    type_into(qtbot, box(window.training_panel, "Learning rate"), "0.5")
    window.tabs.setCurrentIndex(0)
    window.activateWindow()
    check = button(window.data_panel, "Target a*b")  # (a number box takes Ctrl+Z for its own text)
    check.setFocus()
    qtbot.keyClick(check, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    lr = box(window.training_panel, "Learning rate")
    assert window.config().lr == 0.01 and lr.value() == 0.01
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(check, Qt.Key.Key_Z, shift_ctrl)
    assert window.config().lr == 0.5


def test_undo_is_off_while_a_run_owns_the_network(window, qtbot):
    window.workbench.set_training(epochs=10_000_000)
    window.train()
    qtbot.waitUntil(lambda: window.loss_plot.epochs > 0, timeout=10_000)
    assert not window.undo_actions.undo.isEnabled()
    assert not button(window.layer_builder, "Undo").isEnabled()
    window.undo_actions.undo.trigger()
    assert window.config().epochs == 10_000_000, "a disabled undo does nothing"
    window.stop_training()
    assert window.undo_actions.undo.isEnabled() and button(window.layer_builder, "Undo").isEnabled()


def test_a_learning_rate_typed_during_a_run_reaches_it(window, qtbot):
    window.workbench.set_training(epochs=10_000_000)
    window.train()
    qtbot.waitUntil(lambda: window.loss_plot.epochs > 0, timeout=10_000)
    window.tabs.setCurrentIndex(2)
    type_into(qtbot, box(window.training_panel, "Learning rate"), "0.002")
    window.stop_training()
    assert window.session.config.lr == 0.002 == window.config().lr


def test_run_shortcuts_work_on_every_tab(window, qtbot):
    window.tabs.setCurrentIndex(0)  # the Data tab: the training buttons are hidden
    window.activateWindow()
    box(window.data_panel, "Seed").setFocus()
    qtbot.keyClick(box(window.data_panel, "Seed"), Qt.Key.Key_F7)  # Step
    qtbot.waitUntil(lambda: window.state == "finished", timeout=10_000)
    assert window.session.history.epochs == 1
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Training")
    assert [a.text() for a in menu.actions()][:4] == ["Train", "Pause", "Step", "Stop"]


def test_invalid_data_settings_refuse_to_train(window, answers, qtbot):
    window.tabs.setCurrentIndex(0)
    type_into(qtbot, box(window.data_panel, "Samples"), "10")
    type_into(qtbot, box(window.data_panel, "Training share"), "5")
    with pytest.raises(Exception):  # noqa: B017 (the panel's own error type)
        window.data_panel.spec()
    window.train()
    assert window.state != "training" and not window.run.running
    assert "data settings cannot be used" in answers.asked("warning")[0]


def test_step_outside_a_run_says_one_step(window, qtbot):
    trained(qtbot, window)
    text = named(window.training_panel, "Training progress", QProgressBar).format()
    assert text == "epoch 1 · one step"


def test_pausing_stepping_and_stopping_keep_the_status_line_current(window, qtbot):
    window.tabs.setCurrentIndex(2)
    panel = window.training_panel
    type_into(qtbot, box(panel, "Epochs"), "1000000")
    click(qtbot, button(panel, "Train"))
    qtbot.waitUntil(lambda: window.loss_plot.epochs > 0, timeout=10_000)
    click(qtbot, button(panel, "Pause"))
    qtbot.waitUntil(window.files.save_action.isEnabled, timeout=10_000)  # really paused
    at = window.loss_plot.epochs
    assert "Paused" in window.status.state_label.text()
    assert window.statusBar().currentMessage() == "", "no message hides the status line"
    click(qtbot, button(panel, "Step"))
    qtbot.waitUntil(lambda: f"epoch {at + 1:,} " in window.status.metrics_label.text())
    click(qtbot, button(panel, "Stop"))
    qtbot.waitUntil(lambda: window.state == "stopped", timeout=10_000)
    assert "Stopped" in window.status.state_label.text()


def test_restored_weights_are_labelled_with_their_epoch(window, qtbot, monkeypatch, tmp_path):
    window.tabs.setCurrentIndex(2)
    panel = window.training_panel
    type_into(qtbot, box(panel, "Epochs"), "1000")
    lr = box(panel, "Learning rate")
    type_into(qtbot, lr, "10")  # diverges: the last finite weights are restored
    click(qtbot, button(panel, "Train"))
    qtbot.waitUntil(lambda: window.state == "diverged", timeout=20_000)
    s = window.session
    kept = window.run.last_result.restored_epoch
    assert kept is not None and kept < s.history.epochs
    assert s.kept_epoch == kept and window.views.state.epoch == kept
    text = window.status.metrics_label.text()
    assert text.startswith(f"epoch {kept:,} (kept weights; {s.history.epochs:,} trained)")
    # The losses shown are those of the weights held, as `nngui info` would report them.
    loss = s.model(None).metrics["train"]["loss"]
    assert f"train loss {loss:.5g}" in text
    # Saved and opened again, the model still knows which epoch its weights are from.
    path = tmp_path / "diverged.npz"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    assert window.files.save_as()
    assert load_model(path).weights_epoch == kept
    window.files.new_action.trigger()
    assert window.files.open_path(str(path))
    assert window.session.kept_epoch == kept and window.views.state.epoch == kept
    assert window.status.metrics_label.text().startswith(f"epoch {kept:,} (kept weights;")
    # A Step trains on from those weights, and its epoch is the one shown (not put back).
    trained_epochs = window.session.history.epochs
    held = [p.copy() for p in window.session.network.params]
    type_into(qtbot, lr, "0.001")
    click(qtbot, button(panel, "Step"))
    qtbot.waitUntil(lambda: window.state == "finished", timeout=10_000)
    assert window.session.kept_epoch == trained_epochs + 1 == window.views.state.epoch
    assert not same(held, window.session.network.params)
    assert window.status.metrics_label.text().startswith(f"epoch {trained_epochs + 1:,} ·")


def test_a_typed_number_is_one_edit(window, answers, qtbot):
    weights = trained(qtbot, window)
    window.tabs.setCurrentIndex(0)
    type_into(qtbot, box(window.data_panel, "Seed"), "123")
    assert window.workbench.stack.count() == 1, "one step for three digits"
    assert window.session.dataset.spec.seed == 123
    kept_run(window, weights)
    trained(qtbot, window)
    window.tabs.setCurrentIndex(1)
    type_into(qtbot, box(window.layer_builder, "Units of hidden layer 1"), "16")
    assert (
        window.workbench.stack.count() == 2 and undo_text(window) == "&Undo Set layer 1 units to 16"
    )
    assert window.session.network.sizes[1] == 16 and len(window.runs.runs) == 2
    assert not answers.asked("question")


def test_undo_after_training_starts_over_and_the_run_brings_the_network_back(
    window, answers, qtbot
):
    window.tabs.setCurrentIndex(1)
    click(qtbot, button(window.layer_builder, "Add"))  # untrained
    layers = window.layer_builder.layers()
    weights = trained(qtbot, window)
    window.tabs.setCurrentIndex(1)
    click(qtbot, button(window.layer_builder, "Undo"))
    assert not answers.asked("question")
    assert window.session.network.layers != layers and window.session.history.epochs == 0
    kept_run(window, weights)
    table = named(window, "Runs", QTableWidget)
    table.selectRow(0)
    click(qtbot, window.runs.panel.restore_button)
    assert window.session.network.layers == layers and window.session.history.epochs == 1
    assert same(weights, window.session.network.params)
    assert window.layer_builder.layers() == layers
    assert undo_text(window).startswith("&Undo Restore Run 1")


def test_the_preset_box_says_custom_once_the_settings_differ(window, qtbot):
    panel = window.training_panel
    window.tabs.setCurrentIndex(2)
    assert combo(panel, "Preset").currentData() == "The article's setup"
    type_into(qtbot, box(panel, "Learning rate"), "0.02")
    qtbot.waitUntil(lambda: combo(panel, "Preset").currentIndex() == -1)
    assert combo(panel, "Preset").placeholderText() == "Custom settings"
    assert not button(panel, "Apply preset").isEnabled(), "nothing chosen to apply"
    type_into(qtbot, box(panel, "Learning rate"), "0.01")  # back to the article's settings
    qtbot.waitUntil(lambda: combo(panel, "Preset").currentData() == "The article's setup")
    window.apply_preset("Fast and accurate")
    assert combo(panel, "Preset").currentData() == "Fast and accurate"
    window.tabs.setCurrentIndex(1)
    click(qtbot, button(window.layer_builder, "Add"))
    qtbot.waitUntil(lambda: combo(panel, "Preset").currentIndex() == -1)


def test_training_straight_after_typing_trains_the_new_settings(window, answers, qtbot):
    weights = trained(qtbot, window)
    window.tabs.setCurrentIndex(0)
    seed = box(window.data_panel, "Seed")
    seed.setFocus()
    seed.selectAll()
    qtbot.keyClicks(seed, "77")  # no Return: still typing
    assert window.session.history.epochs == 1, "a half-typed number is no edit yet"
    qtbot.keyClick(seed, Qt.Key.Key_F7)  # Step, from the keyboard
    qtbot.waitUntil(lambda: window.state == "finished", timeout=10_000)
    assert window.session.dataset.spec.seed == 77 and window.session.history.epochs == 1
    assert not answers.asked("question")
    kept_run(window, weights)


def test_an_edit_back_to_the_same_settings_is_no_step(window, answers, qtbot):
    weights = trained(qtbot, window)
    window.tabs.setCurrentIndex(0)
    type_into(qtbot, box(window.data_panel, "Samples"), "10000")  # the value it had
    window.tabs.setCurrentIndex(1)
    units = box(window.layer_builder, "Units of hidden layer 1")
    units.setFocus()
    units.selectAll()
    qtbot.keyClicks(units, "40")  # 4 → 40 …
    qtbot.keyClick(units, Qt.Key.Key_Backspace)  # … → 4 again, before the edit is finished
    qtbot.keyClick(units, Qt.Key.Key_Return)
    assert window.workbench.stack.count() == 0, "a value is taken when it is finished"
    assert not window.undo_actions.undo.isEnabled() and undo_text(window) == "&Undo"
    assert window.session.history.epochs == 1 and same(weights, window.session.network.params)
    assert len(window.runs.runs) == 0


def test_settings_that_cannot_be_used_keep_the_network(window, answers, qtbot):
    weights = trained(qtbot, window)
    window.tabs.setCurrentIndex(0)
    type_into(qtbot, box(window.data_panel, "Lowest a"), "250")  # above the highest a: unusable
    assert not answers.asked("question") and window.workbench.stack.count() == 0
    assert same(weights, window.session.network.params)
    window.train()
    assert "data settings cannot be used" in answers.asked("warning")[0]
    assert window.session.history.epochs == 1
