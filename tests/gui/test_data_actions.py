"""Opening data in the window: File ▸ Open Data…, Open Example, drops, the source combo."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QLabel
from widget_actions import button, combo, named

from nngui.core.csv_source import CsvSpec
from nngui.core.data import DataSpec
from nngui.core.network import LayerSpec
from nngui.gui.csv_import_dialog import CsvImportDialog


def data_file(tmp_path, name: str = "d.csv"):
    path = tmp_path / name
    rows = "".join(f"{i},{['u', 'v'][i % 2]},{3 * i + i % 2}\n" for i in range(50))
    path.write_text("x,kind,y\n" + rows)
    return path


def read(qtbot, dialog: CsvImportDialog) -> CsvImportDialog:
    qtbot.waitUntil(lambda: not dialog.reading() and dialog.table is not None, timeout=5000)
    return dialog


def test_open_data_imports_a_file_as_one_undoable_step(qtbot, main_window, tmp_path, monkeypatch):
    path = data_file(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    main_window.data.open_action.trigger()
    dialog = read(qtbot, main_window.data.dialog)
    button(dialog, "Use data").click()
    data = main_window.workbench.settings.data
    assert isinstance(data, CsvSpec) and data.inputs == ("x", "kind") and data.targets == ("y",)
    assert main_window.session.network.sizes[0] == 3 and main_window.session.network.sizes[-1] == 1
    assert main_window.data.dialog is None
    assert "Using d.csv: 50 rows" in main_window.statusBar().currentMessage()
    panel = main_window.data_panel
    assert "y from x, kind" in named(panel, "CSV columns", QLabel).text()
    assert combo(panel, "Data source").currentData() == "csv"
    assert main_window.workbench.stack.undo_text() == "Use the data of d.csv"
    main_window.undo_actions.undo.trigger()
    assert isinstance(main_window.workbench.settings.data, DataSpec)
    assert combo(panel, "Data source").currentData() == "formulas"
    assert main_window.session.network.sizes == [2, 4, 4, 3]


def test_the_source_combo_goes_back_to_the_formulas_and_to_the_file(qtbot, main_window, tmp_path):
    path = data_file(tmp_path)
    read(qtbot, main_window.data.open_path(str(path)))
    button(main_window.data.dialog, "Use data").click()
    source = combo(main_window.data_panel, "Data source")
    source.activated.emit(source.findData("formulas"))
    assert main_window.workbench.settings.data == DataSpec()
    source.activated.emit(source.findData("csv"))
    assert isinstance(main_window.workbench.settings.data, CsvSpec)


def test_import_settings_reopen_the_view_as_the_file_was_imported(qtbot, main_window, tmp_path):
    path = data_file(tmp_path)
    dialog = read(qtbot, main_window.data.open_path(str(path)))
    dialog.set_role("kind", "ignore")
    button(dialog, "Use data").click()
    button(main_window.data_panel, "Import settings").click()
    again = read(qtbot, main_window.data.dialog)
    assert again.roles() == {"x": "input", "kind": "ignore", "y": "target"}
    again.reject()
    assert main_window.workbench.settings.data.inputs == ("x",)


def test_a_file_that_cannot_be_read_says_why_and_changes_nothing(main_window, answers, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    before = main_window.workbench.settings
    assert main_window.data.open_path(str(empty)) is None
    assert "empty" in answers.asked("warning")[0]
    assert main_window.workbench.settings is before


def test_a_dropped_csv_file_opens_the_import_view(qtbot, main_window, tmp_path):
    path = data_file(tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    main_window.dropEvent(event)
    dialog = read(qtbot, main_window.data.dialog)
    assert dialog.path == str(path)


def test_the_examples_open_and_iris_is_classified(qtbot, main_window, answers):
    actions = main_window.data.examples_menu.actions()
    assert [a.text().replace("&", "").split(" (")[0] for a in actions] == ["Diabetes", "Iris"]
    actions[1].trigger()
    dialog = read(qtbot, main_window.data.dialog)
    assert dialog.roles()["species"] == "target" and dialog.roles()["petal_width"] == "input"
    assert dialog.task() == "classification"
    assert named(dialog, "Task found").text() == "classifies species into 3 classes"
    button(dialog, "Use data").click()
    ds = main_window.session.dataset
    assert ds.task == "classification" and ds.classes == ("setosa", "versicolor", "virginica")
    assert main_window.workbench.settings.layers[-1] == LayerSpec(3, "softmax")
    preview = named(main_window.data_panel, "Preview")
    last = preview.columnCount() - 1
    assert preview.horizontalHeaderItem(last).text() == "species"
    shown = {preview.item(r, last).text() for r in range(preview.rowCount())}
    assert shown <= set(ds.classes) and shown, "the class names, not their codes"
    scalers = named(main_window.data_panel, "Train-set scalers")
    assert scalers.rowCount() == 4, "the inputs' scalers: classes are not scaled"
    main_window.apply_preset("Fast and accurate")
    qtbot.wait(10)  # (a step that fails says so a moment later)
    assert not answers.asked("warning")
    actions[0].trigger()
    diabetes = read(qtbot, main_window.data.dialog)
    assert diabetes.roles()["progression"] == "target" and diabetes.table.rows == 442


def test_an_undo_that_needs_a_deleted_file_says_why_and_changes_nothing(
    qtbot, main_window, answers, tmp_path
):
    path = data_file(tmp_path)
    read(qtbot, main_window.data.open_path(str(path)))
    button(main_window.data.dialog, "Use data").click()
    main_window.workbench.set_data(shuffle_seed=4)
    path.unlink()
    before = main_window.workbench.settings
    main_window.undo_actions.undo.trigger()
    qtbot.waitUntil(lambda: bool(answers.asked("warning")), timeout=2000)
    assert "no such file" in answers.asked("warning")[0]
    assert main_window.workbench.settings == before
    assert main_window.workbench.stack.undo_text() == "Set shuffle seed to 4"
    assert main_window.undo_actions.undo.text().startswith("&Undo Set shuffle seed to 4")


def test_data_that_cannot_be_used_is_refused_before_any_step(qtbot, main_window, answers, tmp_path):
    path = tmp_path / "few.csv"
    path.write_text("x,y\n1,2\n3,4\n5,6\n")
    dialog = read(qtbot, main_window.data.open_path(str(path)))
    spec = dialog.spec()
    path.write_text("x,y\n1,2\n")  # changed meanwhile: one row
    before = main_window.workbench.settings
    assert not main_window.data.use(spec)
    assert (
        "too few rows" in answers.asked("warning")[0]
        or "a header but" in answers.asked("warning")[0]
    )
    assert main_window.workbench.settings is before
    assert not main_window.workbench.stack.can_undo()


def test_edits_that_need_a_deleted_file_say_why_and_change_nothing(
    qtbot, main_window, answers, tmp_path
):
    path = data_file(tmp_path)
    read(qtbot, main_window.data.open_path(str(path)))
    button(main_window.data.dialog, "Use data").click()
    path.unlink()
    before = main_window.workbench.settings
    main_window.tabs.setCurrentIndex(1)
    button(main_window.layer_builder, "Add").click()  # a new network: the file is read
    main_window.reset_weights()
    main_window.apply_preset("Fast and accurate")
    warnings = answers.asked("warning")
    assert len(warnings) == 3 and all("no such file" in w for w in warnings)
    assert main_window.workbench.settings == before
    assert main_window.layer_builder.layers() == list(before.layers)


def test_the_error_map_holds_the_inputs_at_the_predict_panels_values(qtbot, main_window, tmp_path):
    path = data_file(tmp_path)
    read(qtbot, main_window.data.open_path(str(path)))
    button(main_window.data.dialog, "Use data").click()
    panel = main_window.predict_panel
    kind = panel.field("kind")
    kind.setCurrentIndex(1 - kind.currentIndex())
    main_window.views.setCurrentIndex(main_window.views.indexOf(main_window.error_map))
    main_window.workbench.set_data(shuffle_seed=9)  # a new network on the same columns
    assert main_window.error_map.response._held.tolist() == panel.inputs().tolist()
