"""At 1024 × 700 every tab and view shows its text whole: no label, button or box is clipped."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QWidget,
)


def clipped(widget: QWidget) -> str | None:
    """What of ``widget``'s text it cannot show at its size, or None."""
    fm = widget.fontMetrics()
    if isinstance(widget, QLabel):
        if widget.wordWrap() or not widget.text() or widget.textFormat().name == "RichText":
            return None
        if "<" in widget.text():  # rich text: the label's own size hint measures it
            need = widget.sizeHint().width()
        else:
            shown = widget.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
            need = fm.horizontalAdvance(shown) + 2 * widget.margin()
        have = widget.contentsRect().width()
    elif isinstance(widget, QAbstractButton | QComboBox):
        need, have = widget.minimumSizeHint().width(), widget.width()
        if isinstance(widget, QComboBox):
            need = widget.sizeHint().width() if widget.currentText() else 0
            need = min(need, fm.horizontalAdvance(widget.currentText()) + 40)
    elif isinstance(widget, QGroupBox):
        need, have = fm.horizontalAdvance(widget.title()) + 16, widget.width()
    else:
        return None
    if need > have:
        text = widget.text() if hasattr(widget, "text") else getattr(widget, "title", str)()
        return f"{type(widget).__name__} {widget.accessibleName() or text!r}: {need} > {have}"
    return None


def clipped_widgets(window: QWidget) -> list[str]:
    found = []
    for widget in window.findChildren(QWidget):
        if widget.isVisible() and widget.width() > 0:
            problem = clipped(widget)
            if problem is not None:
                found.append(problem)
    return found


@pytest.fixture
def small_window(main_window, qtbot):
    main_window.resize(1024, 700)
    qtbot.waitUntil(lambda: main_window.size().toTuple() == (1024, 700))
    return main_window


def trained_with_validation(qtbot, window) -> None:
    window.workbench.set_data(val_ratio=0.2)  # a new network at once
    window.step()
    qtbot.waitUntil(lambda: window.state == "finished", timeout=10_000)


def clipped_on_every_tab(qtbot, w) -> set[str]:
    """What is clipped with each pair of (settings tab, view tab) in front."""
    problems = set()
    for settings in range(w.tabs.count()):
        w.tabs.setCurrentIndex(settings)
        for view in range(w.views.count()):
            w.views.setCurrentIndex(view)
            qtbot.wait(30)
            tabs = f"{w.tabs.tabText(settings)} + {w.views.tabText(view)}"
            problems |= {f"{tabs}: {p}" for p in clipped_widgets(w)}
    return problems


def test_no_text_is_clipped_on_any_tab_or_view_at_1024_by_700(small_window, qtbot):
    w = small_window
    trained_with_validation(qtbot, w)
    problems = clipped_on_every_tab(qtbot, w)
    assert not problems, "\n".join(sorted(problems))


def test_no_text_is_clipped_with_a_csv_files_data_either(small_window, qtbot):
    from nngui.core.csv_dialect import sniff
    from nngui.core.csv_source import CsvSpec
    from nngui.core.examples import example_path

    w = small_window
    path = example_path("diabetes.csv")
    inputs = ("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6")
    assert w.data.use(CsvSpec(path, inputs, ("progression",), sniff(path), val_ratio=0.2))
    w.step()
    qtbot.waitUntil(lambda: w.state == "finished", timeout=10_000)
    problems = clipped_on_every_tab(qtbot, w)
    assert not problems, "\n".join(sorted(problems))


def test_no_text_is_clipped_with_a_classifier_either(small_window, qtbot):
    w = small_window
    w.apply_preset("Playground: spiral")
    w.step()
    qtbot.waitUntil(lambda: w.state == "finished", timeout=10_000)
    assert w.views.isTabVisible(w.views.indexOf(w.decision_map))
    problems = clipped_on_every_tab(qtbot, w)
    assert not problems, "\n".join(sorted(problems))


def test_the_import_view_fits_a_1024_by_700_screen(qtbot):
    from nngui.core.csv_dialect import sniff
    from nngui.core.examples import example_path
    from nngui.gui.csv_import_dialog import CsvImportDialog

    path = example_path("diabetes.csv")
    dialog = CsvImportDialog(path, sniff(path))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table is not None, timeout=5000)
    assert dialog.height() <= 700 and dialog.width() <= 1024
    assert not clipped_widgets(dialog), "\n".join(clipped_widgets(dialog))
