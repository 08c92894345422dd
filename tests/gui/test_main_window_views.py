"""The views inside the main window: they follow training steps, live runs, opened models
and layer edits, stay idle while hidden, and export through File ▸ Export."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog
from widget_actions import box, button, click

from nngui.core.fit import fit_table
from nngui.core.network import LayerSpec
from nngui.gui import MainWindow
from nngui.gui.views.error_map_view import ErrorMapView
from nngui.gui.views.fit_view import FitView
from nngui.gui.views.inside_view import InsideView
from nngui.gui.views.network_view import NetworkView


@pytest.fixture
def window(main_window):
    return main_window


def step(qtbot, window: MainWindow) -> None:
    window.tabs.setCurrentIndex(2)
    click(qtbot, button(window.training_panel, "Step"))
    qtbot.waitUntil(lambda: window.state == "finished", timeout=10_000)


def shown_params(view: InsideView) -> list[np.ndarray]:
    """The weights the Inside view's trace was computed with."""
    return [t.w for t in view.trace().layers]


def test_the_views_are_tabs_beside_the_loss_plot(window):
    tabs = window.views
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert titles == [
        "L&oss", "Decision map", "Network", "Fit", "Error map", "Inside", "Confusion", "Runs",
    ]  # fmt: skip
    assert tabs.currentWidget() is window.loss_plot
    shown = [tabs.tabText(i) for i in range(tabs.count()) if tabs.isTabVisible(i)]
    assert "Decision map" not in shown and "Confusion" not in shown, "a regression's tabs"
    window.apply_preset("Playground: circle")
    shown = [tabs.tabText(i) for i in range(tabs.count()) if tabs.isTabVisible(i)]
    assert "Decision map" in shown and "Confusion" in shown


def test_a_training_step_updates_the_visible_view_and_the_others_on_showing(window, qtbot):
    inside = window.views.view(InsideView)
    window.views.show_view(inside)
    before = shown_params(inside)
    step(qtbot, window)
    after = shown_params(inside)
    assert not np.array_equal(before[0], after[0])
    np.testing.assert_array_equal(after[0], window.session.network.weights[0])
    fit = window.views.view(FitView)
    window.views.show_view(fit)
    expected = fit_table(window.session.model(None), window.session.dataset)
    assert [r["rmse"] for r in fit.table_rows()] == pytest.approx([r["rmse"] for r in expected])


def test_live_training_refreshes_only_the_visible_view(window, qtbot, monkeypatch):
    calls = {NetworkView: 0, ErrorMapView: 0}
    for view_type in calls:
        view = window.views.view(view_type)
        original = view.show_state

        def counting(state, original=original, view_type=view_type):
            calls[view_type] += 1
            original(state)

        monkeypatch.setattr(view, "show_state", counting)
    window.views.show_view(window.views.view(NetworkView))
    calls[NetworkView] = 0
    box(window.training_panel, "Epochs").setValue(10_000_000)
    window.train()
    qtbot.waitUntil(lambda: calls[NetworkView] >= 3, timeout=10_000)
    assert calls[ErrorMapView] == 0
    started = calls[NetworkView]
    qtbot.wait(1000)
    assert calls[NetworkView] - started <= 6  # at most REFRESH_RATE (4) a second, and a margin
    window.stop()
    qtbot.waitUntil(lambda: window.state == "stopped", timeout=10_000)


def test_layer_edits_reach_the_diagram_at_once(window, qtbot):
    view = window.views.view(NetworkView)
    window.views.show_view(view)
    window.workbench.set_hidden([LayerSpec(5, "tanh")])  # a new network at once
    assert view.diagram().structure().key[0] == (2, 5, 3)


def test_an_opened_model_shows_in_the_views(window, qtbot, monkeypatch, tmp_path):
    step(qtbot, window)
    path = tmp_path / "m.npz"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    assert window.files.save_as()
    saved = [p.copy() for p in window.session.network.params]
    window.files.new()
    inside = window.views.view(InsideView)
    window.views.show_view(inside)
    assert not np.array_equal(shown_params(inside)[0], saved[0][:-1])
    window.files.open()
    np.testing.assert_array_equal(shown_params(inside)[0], saved[0][:-1])
    assert window.views.state.epoch == 1


def test_export_actions_in_the_file_menu(window, qtbot, monkeypatch, tmp_path):
    step(qtbot, window)
    window.views.show_view(window.views.view(ErrorMapView))
    targets = iter([tmp_path / "map.png", tmp_path / "fit.csv", tmp_path / "loss.csv"])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(next(targets)), ""))
    file_menu = window.menuBar().actions()[0].menu()
    export_menu = next(a.menu() for a in file_menu.actions() if a.text() == "E&xport")
    actions = {a.text(): a for a in export_menu.actions()}
    actions["Current View as &PNG…"].trigger()
    actions["&Fit Table as CSV…"].trigger()
    actions["&Loss History as CSV…"].trigger()
    image = QImage(str(tmp_path / "map.png"))
    assert image.width() == window.views.currentWidget().width()
    fit_rows = list(csv.DictReader((tmp_path / "fit.csv").read_text().splitlines()))
    assert [r["split"] for r in fit_rows] == ["train"] * 3 + ["test"] * 3
    loss_rows = list(csv.DictReader((tmp_path / "loss.csv").read_text().splitlines()))
    assert loss_rows[-1]["epoch"] == "1"
