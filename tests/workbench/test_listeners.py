"""Listeners: called in order after a change; unsubscribing stops them."""

from __future__ import annotations

from nngui.workbench.listeners import Listeners


def test_listeners_are_called_in_order_until_they_unsubscribe():
    heard: list[tuple[str, int]] = []
    listeners: Listeners[[int]] = Listeners()
    listeners.add(lambda n: heard.append(("first", n)))
    stop = listeners.add(lambda n: heard.append(("second", n)))
    listeners(1)
    stop()
    listeners(2)
    assert heard == [("first", 1), ("second", 1), ("first", 2)]


def test_a_listener_that_unsubscribes_during_a_call_is_still_called_that_time():
    listeners: Listeners[[]] = Listeners()
    heard: list[str] = []
    stops = []
    stops.append(listeners.add(lambda: (heard.append("a"), stops[0]())))
    listeners.add(lambda: heard.append("b"))
    listeners()
    listeners()
    assert heard == ["a", "b", "b"]
