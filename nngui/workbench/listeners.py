"""Listeners: the plain callbacks a model calls after each change (no Qt signals here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, ParamSpec

P = ParamSpec("P")


class Listeners(Generic[P]):
    """Callables to call after a change, in the order they were added."""

    def __init__(self) -> None:
        self._calls: list[Callable[P, None]] = []

    def add(self, listener: Callable[P, None]) -> Callable[[], None]:
        """Call ``listener`` after every change from now on; returns how to stop."""
        self._calls.append(listener)
        return lambda: self._calls.remove(listener)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Call every listener (one that unsubscribes meanwhile is still called this time)."""
        for listener in list(self._calls):
            listener(*args, **kwargs)
