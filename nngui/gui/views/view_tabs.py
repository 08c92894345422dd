"""ViewTabs: the loss plot and the explanatory views as tabs, refreshed only when seen.

The window hands every new state (a weight snapshot while training, the final network after a
run, a loaded model) to ``set_state``. Only the visible view is refreshed, at most
``REFRESH_RATE`` times a second while training (or its own lower ``live_rate``); a view
that becomes visible catches up at once. Hidden views cost nothing, so the views never slow
training down noticeably. While training, views are refreshed through ``show_live_state``
(which a costly view may spread over event-loop turns), otherwise through ``show_state``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QTabWidget, QWidget

from nngui.gui.views.base import View, ViewState
from nngui.gui.widgets import describe

#: Refreshes of the visible view per second at most while training.
REFRESH_RATE = 4.0


class ViewTabs(QTabWidget):
    """Tabs: first ``first`` (the loss plot), then each view under its ``title``."""

    def __init__(self, first: QWidget, first_title: str, views: Sequence[View]) -> None:
        super().__init__()
        describe(self, "Views", "The loss plot and views that explain the network.")
        self.setDocumentMode(True)
        self.addTab(first, first_title)
        self.views = list(views)
        for view in self.views:
            self.addTab(view, view.title)
        self._state: ViewState | None = None
        self._live = False
        self._shown: dict[int, ViewState | None] = {}  # id(view) → the state it shows
        self._last_refresh = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh)
        self.currentChanged.connect(lambda _index: self.refresh())

    @property
    def state(self) -> ViewState | None:
        """The latest state given."""
        return self._state

    def set_state(self, state: ViewState | None, live: bool = False) -> None:
        """Show ``state`` in the visible view: at once, or with ``live`` within the rate limit."""
        self._state, self._live = state, live
        if not live:
            self._timer.stop()
            self.refresh()
            return
        view = self.currentWidget()
        rate = min(REFRESH_RATE, getattr(view, "live_rate", REFRESH_RATE))
        wait = self._last_refresh + 1.0 / rate - time.perf_counter()
        if wait <= 0:
            self.refresh()
        elif not self._timer.isActive():
            self._timer.start(int(wait * 1000) + 1)

    def refresh(self) -> None:
        """Bring the visible view up to the latest state (nothing if it shows it already)."""
        view = self.currentWidget()
        if not isinstance(view, View) or self._shown.get(id(view), False) is self._state:
            return
        self._last_refresh = time.perf_counter()
        self._shown[id(view)] = self._state
        if self._live:
            view.show_live_state(self._state)
        else:
            view.show_state(self._state)

    def view(self, view_type: type[View]) -> View:
        """The view of the given class."""
        return next(v for v in self.views if isinstance(v, view_type))

    def show_view(self, view: QWidget) -> None:
        """Make ``view`` the visible tab."""
        self.setCurrentWidget(view)
