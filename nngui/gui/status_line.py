"""The status bar's permanent contents: the training state and the latest metrics, plus a
non-modal notice for events the user should see without being stopped (a divergence)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from nngui.gui.widgets import describe


class StatusLine:
    """Fills ``window``'s status bar: a bold state word, then the metrics text."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self.state_label = describe(QLabel(), "Training state", "What training is doing now.")
        self.metrics_label = describe(
            QLabel(), "Latest metrics", "Epoch and losses of the latest report."
        )
        self.metrics_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        window.statusBar().addWidget(self.state_label)
        window.statusBar().addWidget(self.metrics_label, 1)
        self.notice: QMessageBox | None = None

    def show_state(self, state: str) -> None:
        """Show the training state (idle, training, paused, finished, …)."""
        self.state_label.setText(f"<b>{state.capitalize()}</b>")

    def show_metrics(self, text: str) -> None:
        """Show the metrics text (see ``session.metrics_text``)."""
        self.metrics_label.setText(text)

    def show_notice(self, title: str, text: str) -> None:
        """A non-modal warning box that does not stop the user from working."""
        if self.notice is not None:
            self.notice.close()
        self.notice = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self.window)
        self.notice.setModal(False)
        self.notice.show()
