"""What every explanatory view shares: the snapshot it shows and how it is told to show it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLayout, QStackedWidget, QVBoxLayout, QWidget

from nngui.core.data import Dataset
from nngui.core.model import Model
from nngui.core.network import Network
from nngui.gui.widgets import hint_label

#: The object name of a view's page stack (page 0 the empty note, page 1 the content).
PAGES = "view_pages"


@dataclass(frozen=True)
class ViewState:
    """A snapshot for the views: a model over a *copy* of the network, its data, its epoch.

    ``model`` predicts in original units (network, scalers, names); ``dataset`` holds the raw
    and standardised train / validation / test splits the network is trained on. Views may
    read both freely but must not modify them: one state is shared by every view.
    """

    model: Model
    dataset: Dataset
    epoch: int = 0

    @property
    def network(self) -> Network:
        """The snapshot's network (weights in ``network.weights``, biases in ``.biases``)."""
        return self.model.network


class View(QWidget):
    """Base class of the explanatory views, one tab each beside the loss plot.

    Subclasses set ``title`` (the tab's text) and implement ``show_state``. The view tabs call
    ``show_state`` only while the view is visible, at most a few times a second, with the
    latest state (or None when there is nothing to show); it must be cheap (a few tens of
    milliseconds for the presets' networks) and must cope with non-finite weights (a diverged
    run) without raising or warning.
    """

    title = ""
    #: Refreshes per second at most while training (the tabs cap it at their REFRESH_RATE);
    #: views that cost more to draw set less, to keep within the 5 % training budget.
    live_rate = 4.0

    def show_state(self, state: ViewState | None) -> None:
        """Show ``state`` (None: clear the view and say why it is empty)."""
        raise NotImplementedError

    def show_live_state(self, state: ViewState | None) -> None:
        """Show a state that training has just reached; the next one follows soon. A view
        whose refresh is costly may spread it over event-loop turns (the latest state wins).
        By default: ``show_state``."""
        self.show_state(state)

    def build_frame(self, toolbar: QLayout, content: QWidget, empty_text: str) -> None:
        """Lay the view out as ``toolbar`` above a stack: page 0 a centred note saying why
        the view is empty (``self._empty``), page 1 ``content`` (``self._stack``)."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(toolbar)
        self._stack = QStackedWidget()
        self._stack.setObjectName(PAGES)
        self._empty = hint_label(empty_text, warning=False)
        self._empty.setAccessibleName("Empty view note")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack.addWidget(self._empty)
        self._stack.addWidget(content)
        layout.addWidget(self._stack, 1)
