"""The tests' own lookup: a control is found by its accessible name, or the test fails clearly."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QVBoxLayout, QWidget
from widget_actions import button, named


@pytest.fixture
def root(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    layout = QVBoxLayout(widget)
    for name in ("Train", "Twin", "Twin"):
        push = QPushButton(name)
        push.setAccessibleName(name)
        layout.addWidget(push)
    hidden = QCheckBox("Seen")
    hidden.setAccessibleName("Hidden box")
    hidden.hide()
    layout.addWidget(hidden)
    layout.addWidget(QLabel("no name"))
    return widget


def test_finds_the_one_widget_of_that_name_shown_or_hidden(root):
    assert button(root, "Train").text() == "Train"
    assert named(root, "Hidden box", QCheckBox).text() == "Seen"


def test_no_such_name_fails_listing_the_names_there_are(root):
    with pytest.raises(AssertionError, match=r"0 widgets named 'Trian'.*'Hidden box', 'Train'"):
        named(root, "Trian")


def test_a_shared_name_fails(root):
    with pytest.raises(AssertionError, match="2 widgets named 'Twin'"):
        named(root, "Twin")


def test_the_wrong_kind_fails(root):
    with pytest.raises(AssertionError, match="'Train' is a QPushButton, not a QCheckBox"):
        named(root, "Train", QCheckBox)
