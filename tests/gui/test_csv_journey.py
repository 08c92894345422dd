"""A person's journey with their own data: open a CSV file through the dialog, choose the
roles, train, predict, write predictions, save, start anew, open the model, predict again."""

from __future__ import annotations

import csv

import numpy as np
from PySide6.QtWidgets import QComboBox, QFileDialog
from widget_actions import box, button, click, combo, type_into

from nngui.core.csv_source import CsvSpec
from nngui.core.data import DataSpec
from nngui.gui.predict_panel import format_value


def write_data(tmp_path):
    rng = np.random.RandomState(3)
    path = tmp_path / "shop.csv"
    lines = ["id;size;weight;colour;price"]
    for i in range(160):
        size, weight = rng.uniform(1, 10), rng.uniform(0, 5)
        colour = ["red", "blue", "green"][i % 3]
        price = 3 * size - weight + {"red": 2, "blue": 0, "green": -2}[colour]
        lines.append(f"item {i};{size:.3f};{weight:.3f};{colour};{price:.3f}".replace(".", ","))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def open_files(monkeypatch, path, save=None) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    if save is not None:
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(save), ""))


def test_a_csv_journey(main_window, answers, qtbot, monkeypatch, tmp_path):
    window = main_window
    data = write_data(tmp_path)
    # Open the file from the Data panel: semicolons and decimal commas are found.
    window.tabs.setCurrentIndex(0)
    open_files(monkeypatch, data)
    click(qtbot, button(window.data_panel, "Open CSV"))
    dialog = window.data.dialog
    qtbot.waitUntil(lambda: not dialog.reading() and dialog.table is not None, timeout=5000)
    assert combo(dialog, "Delimiter").currentData() == ";"
    assert combo(dialog, "Decimal mark").currentData() == ","
    assert dialog.roles() == {
        "id": "ignore", "size": "input", "weight": "input", "colour": "input", "price": "target",
    }  # fmt: skip
    dialog.set_role("weight", "ignore")
    dialog.set_role("weight", "input")  # changed their mind
    click(qtbot, button(dialog, "Use data"))
    spec = window.workbench.settings.data
    assert isinstance(spec, CsvSpec) and spec.dialect.decimal == ","
    assert window.session.network.sizes[0] == 5  # size, weight and three colours
    # Train a fast network on it.
    window.apply_preset("Fast and accurate")
    assert window.workbench.settings.data.path == str(data), "the preset keeps the file"
    window.tabs.setCurrentIndex(2)
    type_into(qtbot, box(window.training_panel, "Epochs"), "150")
    click(qtbot, button(window.training_panel, "Train"))
    qtbot.waitUntil(lambda: window.state == "finished", timeout=30_000)
    metrics = window.status.metrics_label.text()
    assert "test R² " in metrics and "seed loss" not in metrics, "no article's loss here"
    # Predict one row in the panel: a number box for size, a list for the colour.
    panel = window.predict_panel
    type_into(qtbot, panel.field("size"), "4")
    colours = panel.field("colour")
    assert isinstance(colours, QComboBox)
    colours.setCurrentIndex(colours.findText("red"))
    x = panel.inputs()
    assert x[0] == 4 and x[2:].tolist() == [0.0, 0.0, 1.0]  # blue, green, red (sorted)
    predicted = window.current_model().predict(x[None, :])[0, 0]
    assert panel.outputs_text() == [format_value(predicted)]
    # Write predictions for the whole file (File ▸ Predict CSV…).
    out = tmp_path / "shop-predicted.csv"
    open_files(monkeypatch, data, out)
    window.predict_csv.action.trigger()
    qtbot.waitUntil(lambda: out.exists() and window.predict_csv.task is None, timeout=10_000)
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[0][-1] == "predicted_price" and len(rows) == 161
    # Save, start anew, open the model again: the same prediction.
    saved = tmp_path / "shop.npz"
    proposed = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName",
        lambda parent, title, start, *a, **k: (proposed.append(start) or str(saved), ""),
    )  # fmt: skip
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    window.files.save_as_action.trigger()
    assert saved.exists() and not window.isWindowModified()
    assert proposed == [str(saved)], "proposed beside the data, named after it"
    window.files.new_action.trigger()
    assert isinstance(window.workbench.settings.data, DataSpec)
    assert combo(window.data_panel, "Data source").currentData() == "formulas"
    assert [f.column.name for f in panel._fields] == ["a", "b"]
    window.files.open_action.trigger()
    assert window.workbench.settings.data.path == str(data)
    assert combo(window.data_panel, "Data source").currentData() == "csv"
    panel.set_inputs(x)
    assert panel.outputs_text() == [format_value(predicted)]
    assert window.session.history.epochs == window.current_model().history.epochs > 0
