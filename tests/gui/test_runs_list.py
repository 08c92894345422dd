"""Every training run is kept in the Runs tab: listed, restored, renamed, deleted, saved."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QTableWidget
from widget_actions import click

from nngui.core.model_file import load_model


def run_to_end(qtbot, window, epochs: int = 20) -> None:
    window.workbench.set_training(epochs=epochs)
    window.train()
    qtbot.waitUntil(lambda: not window.run.running and window.state != "training", timeout=20_000)


def runs_table(window) -> QTableWidget:
    return next(t for t in window.findChildren(QTableWidget) if t.accessibleName() == "Runs")


def cell(table: QTableWidget, row: int, column: int) -> str:
    return table.item(row, column).text()


def test_each_run_is_kept_with_its_figures_but_a_lone_step_is_not(main_window, qtbot):
    w = main_window
    table = runs_table(w)
    assert table.rowCount() == 0 and w.runs.panel.note.isVisibleTo(w.runs.panel)
    w.step()
    qtbot.waitUntil(lambda: w.state == "finished", timeout=10_000)
    assert table.rowCount() == 0, "one Step is a look, not a run"
    run_to_end(qtbot, w, 20)
    assert table.rowCount() == 1
    assert [cell(table, 0, c) for c in (0, 3, 4)] == ["Run 1", "21", "all epochs"]
    assert cell(table, 0, 2) == "2-4-4-3 relu · gd, lr 0.01, full batch · 10,000 samples"
    rmse = [float(v) for v in cell(table, 0, 5).split(", ")]
    assert len(rmse) == 3 and all(v > 0 for v in rmse)
    assert w.runs.panel.count_label.text() == "1 run · 1 not saved"


def test_restoring_a_run_brings_back_its_settings_weights_and_plot(main_window, qtbot):
    w = main_window
    run_to_end(qtbot, w, 15)
    first = [p.copy() for p in w.session.network.params]
    w.workbench.set_data(seed=7)  # a new network, without asking
    run_to_end(qtbot, w, 30)
    assert len(w.runs.runs) == 2 and w.session.history.epochs == 30
    table = runs_table(w)
    table.selectRow(0)
    click(qtbot, w.runs.panel.restore_button)
    assert w.session.history.epochs == 15 and w.loss_plot.epochs == 15
    assert w.data_panel.spec().seed == 42 == w.workbench.settings.data.seed
    assert all(np.array_equal(p, q) for p, q in zip(first, w.session.network.params, strict=True))
    assert w.statusBar().currentMessage().startswith("Restored Run 1: 15 epochs trained")


def test_saving_marks_the_run_saved_and_closing_asks_about_the_others(
    main_window, qtbot, answers, monkeypatch, tmp_path
):
    w = main_window
    run_to_end(qtbot, w, 10)
    run_to_end(qtbot, w, 10)  # a continuation: a second run
    path = tmp_path / "kept.npz"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), "nngui model (*.npz)")
    )
    assert w.files.save_as()
    runs = list(w.runs.runs)
    assert [r.saved for r in runs] == [False, True]
    assert w.runs.panel.count_label.text() == "2 runs · 1 not saved"
    w.close()
    asked = answers.asked("question")
    assert asked and asked[-1].startswith("1 training run of this window was never saved")


def test_save_writes_the_run_selected_in_the_runs_tab(main_window, qtbot, monkeypatch, tmp_path):
    w = main_window
    run_to_end(qtbot, w, 10)
    w.workbench.set_data(seed=7)  # a new network: Run 1 stays in the list
    run_to_end(qtbot, w, 4)
    path = tmp_path / "first.npz"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), "nngui model (*.npz)")
    )
    w.views.setCurrentWidget(w.runs.panel)
    runs_table(w).selectRow(0)  # Run 1, not the network shown
    assert w.files.save_as()
    saved = load_model(path)
    assert saved.history.epochs == 10 and saved.data_spec.seed == 42
    assert [r.saved for r in w.runs.runs] == [True, False]
    assert w.session.history.epochs == 4 and w.isWindowModified(), "the network shown is not"
    w.views.setCurrentIndex(0)  # the loss plot: Save writes the network shown
    assert w.files.save_to(str(tmp_path / "shown.npz"))
    assert load_model(tmp_path / "shown.npz").history.epochs == 4
    assert [r.saved for r in w.runs.runs] == [True, True] and not w.isWindowModified()


def test_new_and_open_ask_once_naming_the_runs_never_saved(
    main_window, qtbot, answers, monkeypatch, tmp_path
):
    w = main_window
    run_to_end(qtbot, w, 5)
    w.workbench.set_data(seed=7)
    run_to_end(qtbot, w, 5)
    answers.reply = answers.reply.__class__.Cancel
    w.files.new_action.trigger()
    assert answers.asked("question") == [
        "2 training runs of this window were never saved (the Runs tab lists them). Save the "
        "model shown before starting a new model?"
    ]
    assert w.session.history.epochs == 5, "Cancel: nothing changed"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    w.files.open_action.trigger()
    assert len(answers.asked("question")) == 2
    assert answers.asked("question")[1].startswith("2 training runs of this window were never")


def test_rename_checks_the_name_and_delete_asks_for_unsaved_runs(
    main_window, qtbot, answers, monkeypatch
):
    w = main_window
    run_to_end(qtbot, w, 5)
    table = runs_table(w)
    table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("  wide net ", True))
    click(qtbot, w.runs.panel.rename_button)
    assert cell(table, 0, 0) == "wide net"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", True))
    click(qtbot, w.runs.panel.rename_button)
    assert cell(table, 0, 0) == "wide net" and "a run needs a name" in answers.asked("warning")[-1]
    answers.reply = answers.reply.__class__.Cancel
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert table.rowCount() == 1, "Cancel keeps the unsaved run"
    answers.reply = answers.reply.__class__.Yes
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert table.rowCount() == 0 and w.runs.panel.note.isVisibleTo(w.runs.panel)


@pytest.mark.parametrize("state", ["training"])
def test_runs_cannot_be_restored_or_deleted_while_training(main_window, qtbot, state):
    w = main_window
    run_to_end(qtbot, w, 5)
    runs_table(w).selectRow(0)
    w.workbench.set_training(epochs=10_000_000)
    w.train()
    assert not w.runs.panel.restore_button.isEnabled()
    assert not w.runs.panel.delete_button.isEnabled()
    w.stop_training()
    assert w.runs.panel.restore_button.isEnabled()
