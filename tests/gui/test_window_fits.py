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


def test_no_text_is_clipped_on_any_tab_or_view_at_1024_by_700(small_window, qtbot):
    w = small_window
    trained_with_validation(qtbot, w)
    problems = set()
    for settings in range(w.tabs.count()):
        w.tabs.setCurrentIndex(settings)
        for view in range(w.views.count()):
            w.views.setCurrentIndex(view)
            qtbot.wait(30)
            tabs = f"{w.tabs.tabText(settings)} + {w.views.tabText(view)}"
            problems |= {f"{tabs}: {p}" for p in clipped_widgets(w)}
    assert not problems, "\n".join(sorted(problems))
