"""Keyboard mnemonics: every Alt+letter on screen belongs to one control, the menus' first."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenuBar, QTabWidget, QWidget

from nngui.gui.main_window import MainWindow

_MNEMONIC = re.compile(r"(?<!&)&([^&\s])")


def mnemonic(text: str) -> str | None:
    """The letter that Alt chooses in a label's text, lower case; None without one."""
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found[1].lower() if found else None


def visible_mnemonics(window: MainWindow) -> list[tuple[str, str]]:
    """(letter, text) of every mnemonic on screen now: menu titles, tabs, labels, buttons."""
    found = []
    for action in window.findChild(QMenuBar).actions():
        found.append((action.text(), action.isVisible()))
    for tabs in window.findChildren(QTabWidget):
        if tabs.isVisible():
            found += [(tabs.tabText(i), tabs.isTabVisible(i)) for i in range(tabs.count())]
    for widget in window.findChildren(QWidget):
        labelled = isinstance(widget, QLabel) and widget.buddy() is not None
        if labelled or isinstance(widget, QAbstractButton):
            found.append((widget.text(), widget.isVisible()))
        elif isinstance(widget, QGroupBox):
            found.append((widget.title(), widget.isVisible()))
    return [(m, text) for text, shown in found if shown and (m := mnemonic(text))]


def tab_combinations(window: MainWindow):
    """Show every pair of (settings tab, view tab) in turn."""
    left, right = window.tabs, window.views
    for i in range(left.count()):
        left.setCurrentIndex(i)
        for j in range(right.count()):
            right.setCurrentIndex(j)
            yield f"{left.tabText(i)} + {right.tabText(j)}"


@pytest.fixture
def window(main_window, qtbot):
    main_window.resize(1024, 700)
    main_window.show()
    qtbot.waitExposed(main_window)
    return main_window


@pytest.mark.parametrize("source", ["formulas", "playground", "csv"])
def test_every_mnemonic_on_screen_is_unique(window, source, tmp_path):
    if source == "playground":
        window.apply_preset("Playground: spiral")
    if source == "csv":  # the data panel shows the file and its buttons instead
        data = tmp_path / "d.csv"
        data.write_text("x,y\n" + "".join(f"{i},{i % 7}\n" for i in range(30)))
        from nngui.core.csv_dialect import sniff
        from nngui.core.csv_source import CsvSpec

        window.data.use(CsvSpec(str(data), ("x",), ("y",), sniff(data)))
    clashes = {}
    for shown in tab_combinations(window):
        letters = visible_mnemonics(window)
        counts = Counter(m for m, _ in letters)
        twice = sorted({f"{m}: {t}" for m, t in letters if counts[m] > 1})
        if twice:
            clashes[shown] = twice
    assert not clashes, "\n".join(f"{k}: {v}" for k, v in clashes.items())


def test_the_menus_keep_their_letters(window):
    bar = window.findChild(QMenuBar)
    assert [mnemonic(a.text()) for a in bar.actions()] == ["f", "e", "v", "t", "h"]
