"""The CSV import view: it reads in the background, shows the columns, their kinds and roles,
follows edited reader settings, counts the rows dropped, and says why data cannot be used."""

from __future__ import annotations

import os
import time

import pytest
from PySide6.QtCore import QThread
from widget_actions import button, combo, named

from nngui.core.csv_dialect import CancelledError, sniff
from nngui.core.csv_source import CsvSpec
from nngui.gui import csv_import_dialog
from nngui.gui.csv_import_dialog import CsvImportDialog


def write(tmp_path, text: str, name: str = "d.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def mixed(tmp_path):
    rows = "".join(
        f"{i},{['red', 'green'][i % 2]},note {i},7,{'' if i % 10 == 3 else 2 * i}\n"
        for i in range(40)
    )
    return write(tmp_path, "x,colour,comment,const,y\n" + rows)


def opened(qtbot, path, spec: CsvSpec | None = None, dialect=None) -> CsvImportDialog:
    dialog = CsvImportDialog(str(path), dialect or sniff(path), spec)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.reading() and dialog.table is not None, timeout=5000)
    return dialog


def test_the_columns_are_listed_with_kinds_and_proposed_roles(qtbot, mixed):
    dialog = opened(qtbot, mixed)
    assert dialog.roles() == {
        "x": "input", "colour": "input", "comment": "ignore", "const": "ignore", "y": "target",
    }  # fmt: skip
    spec = dialog.spec()
    assert spec.inputs == ("x", "colour") and spec.targets == ("y",) and spec.shuffle
    assert named(dialog, "Rows dropped").text() == "4 rows dropped"
    assert named(dialog, "Split sizes").text() == "25 train · 0 validation · 11 test"
    assert button(dialog, "Use data").isEnabled()
    assert "40 rows, 5 columns" in named(dialog, "File read").text()
    preview = named(dialog, "Preview")
    assert preview.rowCount() == 10 and preview.item(0, 1).text() == "red"
    assert preview.horizontalHeaderItem(4).text() == "y\ntarget"


def test_columns_that_cannot_be_used_can_only_be_ignored_and_say_why(qtbot, mixed):
    dialog = opened(qtbot, mixed)
    with pytest.raises(ValueError, match="cannot be target"):
        dialog.set_role("comment", "target")
    with pytest.raises(ValueError, match="cannot be input"):
        dialog.set_role("const", "input")
    assert "same value" in combo(dialog, "Role of const").toolTip()


def test_a_label_column_is_classified_and_the_task_can_be_chosen(qtbot, tmp_path):
    rows = "".join(f"{i / 4},{i % 3},{'abc'[i % 3]}\n" for i in range(40))
    dialog = opened(qtbot, write(tmp_path, "x,count,kind\n" + rows))
    assert dialog.roles()["kind"] == "target", "the last usable column"
    assert dialog.task() == "classification" and dialog.spec().task == ""
    assert named(dialog, "Task found").text() == "classifies kind into 3 classes"
    task = combo(dialog, "Task")
    task.setCurrentIndex(task.findData("regression"))
    assert not button(dialog, "Use data").isEnabled()
    assert "kind holds categories, which are classified" in dialog.problem()
    dialog.set_role("kind", "ignore")
    dialog.set_role("count", "target")  # number codes: regressed as a count …
    assert dialog.task() == "regression" and dialog.spec().task == "regression"
    assert named(dialog, "Task found").text() == "regresses count"
    task.setCurrentIndex(task.findData("classification"))  # … or classified
    assert dialog.task() == "classification" and not dialog.problem()
    assert named(dialog, "Task found").text() == "classifies count into 3 classes"
    assert dialog.spec().task == "classification"
    dialog.set_role("count", "input")
    dialog.set_role("x", "target")
    task.setCurrentIndex(task.findData("classification"))
    assert "x holds 40 different numbers, not classes" in dialog.problem()
    dialog.set_role("kind", "input")
    dialog.set_role("count", "target")
    assert "one label column" in dialog.problem()


def test_roles_policy_and_split_make_the_spec(qtbot, mixed):
    dialog = opened(qtbot, mixed)
    dialog.set_role("colour", "ignore")
    combo(dialog, "Missing values").setCurrentIndex(1)  # fill inputs with the mean
    named(dialog, "Validation share").setValue(20)
    named(dialog, "Shuffle").setChecked(False)
    spec = dialog.spec()
    assert spec.inputs == ("x",) and spec.missing_policy == "mean" and spec.val_ratio == 0.2
    assert not spec.shuffle
    assert named(dialog, "Rows dropped").text() == "4 rows dropped"  # missing targets
    dialog.set_role("y", "ignore")
    assert not button(dialog, "Use data").isEnabled()
    assert "choose a target" in named(dialog, "Import problem").text()
    dialog.set_role("x", "target")
    assert "at least one input" in dialog.problem()


def test_edited_reader_settings_read_the_file_again(qtbot, tmp_path):
    path = write(tmp_path, "a;b\n" + "".join(f"{i},5;{i % 3},25\n" for i in range(30)))
    dialog = opened(qtbot, path)
    assert combo(dialog, "Decimal mark").currentData() == ","
    assert dialog.table.column("a").kind == "numeric"
    combo(dialog, "Decimal mark").setCurrentIndex(combo(dialog, "Decimal mark").findData("."))
    qtbot.waitUntil(lambda: not dialog.reading(), timeout=5000)
    assert dialog.table.column("a").kind == "text" and dialog.dialect().decimal == "."
    assert dialog.roles()["a"] == "ignore"
    named(dialog, "Header").setChecked(False)
    qtbot.waitUntil(lambda: not dialog.reading() and dialog.table is not None, timeout=5000)
    assert [c.name for c in dialog.table.columns] == ["column_1", "column_2"]


def test_settings_that_do_not_go_together_or_a_bad_file_say_why(qtbot, tmp_path):
    path = write(tmp_path, "a;b\n1;2\n3;4\n5;6\n")
    dialog = opened(qtbot, path)
    delimiter = combo(dialog, "Delimiter")
    decimal = combo(dialog, "Decimal mark")
    decimal.setCurrentIndex(decimal.findData(","))
    qtbot.waitUntil(lambda: not dialog.reading(), timeout=5000)
    delimiter.setCurrentIndex(delimiter.findData(","))
    assert "cannot both be ','" in named(dialog, "Import problem").text()
    assert not button(dialog, "Use data").isEnabled() and dialog.table is None
    ragged = write(tmp_path, "a,b\n1,2\n3\n", "ragged.csv")
    bad = opened_or_failed(qtbot, ragged)
    assert "line 3" in named(bad, "Import problem").text()
    assert not button(bad, "Use data").isEnabled()


def opened_or_failed(qtbot, path) -> CsvImportDialog:
    dialog = CsvImportDialog(str(path), sniff(path))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.reading(), timeout=5000)
    return dialog


def slow_read(started: list[float]):
    def read(path, dialect, progress=None, cancelled=None):
        started.append(time.monotonic())
        progress(os.path.getsize(path) // 2)  # half read
        while not cancelled():
            time.sleep(0.005)
        raise CancelledError

    return read


@pytest.fixture
def slow(qtbot, tmp_path, monkeypatch) -> tuple[CsvImportDialog, list[float]]:
    """An import view shown over a read that goes on until it is stopped."""
    started: list[float] = []
    monkeypatch.setattr(csv_import_dialog, "cached_table", slow_read(started))
    path = write(tmp_path, "x,y\n1,2\n3,4\n")
    dialog = CsvImportDialog(str(path), sniff(path))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, started


def test_a_long_read_shows_progress_and_stops_on_request(qtbot, slow):
    dialog, _ = slow
    qtbot.waitUntil(lambda: named(dialog, "Reading progress").value() == 500, timeout=5000)
    assert dialog.reading() and named(dialog, "Reading progress").isVisible()
    button(dialog, "Stop reading").click()
    assert not dialog.reading() and "Reading stopped" in named(dialog, "Import problem").text()
    assert not button(dialog, "Use data").isEnabled()


def test_closing_during_a_read_stops_it_and_joins_its_thread(qtbot, slow):
    dialog, started = slow
    qtbot.waitUntil(lambda: bool(started), timeout=5000)
    threads = [t for t in dialog.findChildren(QThread)] + list(dialog._threads)
    dialog.reject()
    assert all(not t.isRunning() for t in threads)


def test_an_earlier_import_gives_the_roles_and_settings_to_start_from(qtbot, mixed):
    spec = CsvSpec(
        str(mixed), ("x",), ("y",), sniff(mixed), missing_policy="mean", shuffle_seed=9,
        train_ratio=0.6, val_ratio=0.1, task="regression",
    )  # fmt: skip
    dialog = opened(qtbot, mixed, spec, spec.dialect)
    assert dialog.roles()["colour"] == "ignore", "left out before, left out now"
    assert dialog.spec() == spec


def test_a_refused_split_entry_keeps_the_dialog_open_and_says_why(qtbot, mixed):
    from widget_actions import type_into

    dialog = opened(qtbot, mixed)
    accepted = []
    dialog.accepted.connect(lambda: accepted.append(True))
    type_into(qtbot, named(dialog, "Validation share"), "90")
    button(dialog, "Use data").click()
    assert not accepted and dialog.isVisible()
    problem = named(dialog, "Import problem").text()
    assert "Validation share" in problem and "50" in problem
    type_into(qtbot, named(dialog, "Validation share"), "20")
    button(dialog, "Use data").click()
    assert accepted and dialog.spec().val_ratio == 0.2


def test_roles_chosen_come_back_when_a_wrong_setting_is_put_right(qtbot, tmp_path):
    path = write(tmp_path, "a;b;c\n" + "".join(f"{i},5;{i},75;{i}\n" for i in range(30)))
    dialog = opened(qtbot, path)
    dialog.set_role("a", "ignore")
    decimal = combo(dialog, "Decimal mark")
    decimal.setCurrentIndex(decimal.findData("."))
    qtbot.waitUntil(lambda: not dialog.reading(), timeout=5000)
    assert dialog.roles()["b"] == "ignore", "text now"
    decimal.setCurrentIndex(decimal.findData(","))
    qtbot.waitUntil(lambda: not dialog.reading(), timeout=5000)
    assert dialog.roles() == {"a": "ignore", "b": "input", "c": "target"}


def test_messages_name_the_windows_controls_not_the_command_lines_options(qtbot, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(
        ("name,v\n" + "".join(f"caf\u00e9{i},{i}\n" for i in range(20))).encode("cp1252")
    )
    dialog = opened_or_failed(qtbot, path)
    encoding = combo(dialog, "Encoding")
    encoding.setCurrentIndex(encoding.findData("utf-8"))
    qtbot.waitUntil(lambda: not dialog.reading(), timeout=5000)
    problem = named(dialog, "Import problem").text()
    assert "cannot be read as utf-8" in problem and "(Encoding)" in problem
    assert "--encoding" not in problem
    inf = write(tmp_path, "x,y\n1,2\ninf,3\n4,5\n", "inf.csv")
    bad = opened_or_failed(qtbot, inf)
    assert "add inf to Also missing" in named(bad, "Import problem").text()
    named(bad, "Missing markers").setText("inf")
    named(bad, "Missing markers").editingFinished.emit()
    qtbot.waitUntil(lambda: not bad.reading() and bad.table is not None, timeout=5000)
    assert bad.table.column("x").missing == 1
