"""ask_save_path: the extension is added, and replacing a file the dialog did not ask about is
asked here; the Save Model As… and export commands use it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from nngui.gui.save_dialog import ask_save_path, with_extension

Reply = QMessageBox.StandardButton


@pytest.fixture
def parent(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    return w


def choose(monkeypatch, path: str) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (path, "f (*.npz)"))


def test_with_extension():
    assert with_extension("/d/m", ".npz") == "/d/m.npz"
    assert with_extension("/d/m.NPZ", ".npz") == "/d/m.NPZ"
    assert with_extension("/d/m.csv", ".npz") == "/d/m.csv.npz"


def test_declined_dialog_gives_nothing(parent, monkeypatch, answers):
    choose(monkeypatch, "")
    assert ask_save_path(parent, "Save", "", "f (*.npz)", ".npz") == ""
    assert not answers.calls


def test_a_new_name_gets_the_extension_without_a_question(parent, monkeypatch, answers, tmp_path):
    choose(monkeypatch, str(tmp_path / "art"))
    assert ask_save_path(parent, "Save", "", "f (*.npz)", ".npz") == str(tmp_path / "art.npz")
    assert not answers.calls


@pytest.mark.parametrize(("reply", "kept"), [(Reply.Yes, False), (Reply.No, True)])
def test_an_existing_file_behind_the_added_extension_is_asked_about(
    parent, monkeypatch, answers, tmp_path, reply, kept
):
    (tmp_path / "art.npz").write_bytes(b"the old model")
    choose(monkeypatch, str(tmp_path / "art"))
    answers.reply = reply
    path = ask_save_path(parent, "Save", "", "f (*.npz)", ".npz")
    assert len(answers.asked("question")) == 1 and "art.npz" in answers.asked("question")[0]
    assert path == ("" if kept else str(tmp_path / "art.npz"))


def test_a_name_typed_with_its_extension_was_asked_about_by_the_dialog(
    parent, monkeypatch, answers, tmp_path
):
    (tmp_path / "art.npz").write_bytes(b"old")
    choose(monkeypatch, str(tmp_path / "art.npz"))
    assert ask_save_path(parent, "Save", "", "f (*.npz)", ".npz") == str(tmp_path / "art.npz")
    assert not answers.calls


def test_save_as_keeps_an_existing_model_when_the_user_says_no(
    main_window, monkeypatch, answers, tmp_path, qtbot
):
    old = tmp_path / "art.npz"
    old.write_bytes(b"the old model")
    choose(monkeypatch, str(tmp_path / "art"))
    answers.reply = Reply.No
    assert not main_window.files.save_as()
    assert old.read_bytes() == b"the old model"
