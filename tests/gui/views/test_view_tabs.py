"""ViewTabs: only the visible view refreshes, live refreshes are rate-limited, tabs catch up."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from nngui.gui.views import view_tabs
from nngui.gui.views.base import View
from nngui.gui.views.view_tabs import ViewTabs


class CountingView(View):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title
        self.shown: list[object] = []
        self.live: list[object] = []  # the states shown through show_live_state

    def show_state(self, state) -> None:
        self.shown.append(state)

    def show_live_state(self, state) -> None:
        self.live.append(state)
        super().show_live_state(state)


@pytest.fixture
def tabs(qtbot):
    views = [CountingView("One"), CountingView("Two")]
    t = ViewTabs(QLabel("loss"), "Loss", views)
    qtbot.addWidget(t)
    t.show()
    return t


def states(n: int) -> list[object]:
    return [object() for _ in range(n)]  # stand-ins: the tabs never look inside a state


def test_tabs_are_titled_and_start_on_the_first(tabs):
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Loss", "One", "Two"]
    assert tabs.currentIndex() == 0


def test_hidden_views_are_not_refreshed_and_catch_up_when_shown(tabs):
    one, two = tabs.views
    s1, s2 = states(2)
    tabs.set_state(s1)
    tabs.set_state(s2)
    assert one.shown == [] and two.shown == []
    tabs.show_view(two)
    assert two.shown == [s2] and one.shown == []
    tabs.show_view(one)
    tabs.show_view(two)  # already shows s2: no redundant refresh
    assert one.shown == [s2] and two.shown == [s2]


def test_a_final_state_refreshes_at_once(tabs):
    one = tabs.views[0]
    tabs.show_view(one)
    assert one.shown == [None]  # nothing to show yet
    five = states(5)
    for s in five:
        tabs.set_state(s)
    assert one.shown[1:] == five
    tabs.set_state(None)
    assert one.shown[-1] is None and tabs.state is None


def test_live_states_are_rate_limited_and_the_latest_arrives(tabs, qtbot, monkeypatch):
    monkeypatch.setattr(view_tabs, "REFRESH_RATE", 20.0)  # one refresh per 50 ms
    one = tabs.views[0]
    tabs.show_view(one)
    burst = states(200)
    for s in burst:
        tabs.set_state(s, live=True)
    assert len(one.shown) <= 2  # the first at once, the rest wait for the timer
    qtbot.waitUntil(lambda: one.shown[-1] is burst[-1], timeout=2_000)
    assert len(one.shown) <= 3


def test_a_view_may_ask_for_fewer_live_refreshes(tabs, qtbot, monkeypatch):
    monkeypatch.setattr(view_tabs, "REFRESH_RATE", 20.0)
    slow = tabs.views[1]
    slow.live_rate = 5.0  # one refresh per 200 ms
    tabs.show_view(slow)
    qtbot.wait(250)
    burst = states(3)
    tabs.set_state(burst[0], live=True)  # at once: the last refresh is 250 ms old
    tabs.set_state(burst[1], live=True)
    qtbot.wait(100)
    assert slow.shown[-1] is burst[0]  # 100 ms: still waiting
    qtbot.waitUntil(lambda: slow.shown[-1] is burst[1], timeout=1_000)


def test_live_states_go_through_show_live_state(tabs, qtbot):
    one = tabs.views[0]
    tabs.show_view(one)
    live, final = states(2)
    tabs.set_state(live, live=True)
    qtbot.waitUntil(lambda: one.live == [live])  # within the rate limit
    assert one.shown[-1] is live  # View's default shows it with show_state
    tabs.set_state(final)
    assert one.live == [live] and one.shown[-1] is final
