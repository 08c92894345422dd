"""StatusLine: state and metrics in the status bar; one non-modal notice at a time."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from nngui.gui.status_line import StatusLine


def test_state_metrics_and_notices(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    status = StatusLine(window)
    status.show_state("training")
    status.show_metrics("epoch 3 · train loss 0.5")
    assert status.state_label.text() == "<b>Training</b>"
    assert status.metrics_label.text() == "epoch 3 · train loss 0.5"
    assert status.state_label.accessibleName() and status.metrics_label.toolTip()
    status.show_notice("Training diverged", "first")
    first = status.notice
    assert first.isVisible() and not first.isModal()
    status.show_notice("Training diverged", "second")
    assert not first.isVisible() and status.notice.text() == "second"
    status.notice.close()


def test_plural():
    from nngui.core.run_text import plural

    assert (plural(1, "epoch"), plural(0, "epoch"), plural(1000, "epoch")) == (
        "1 epoch", "0 epochs", "1,000 epochs",
    )  # fmt: skip
