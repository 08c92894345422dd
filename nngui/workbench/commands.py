"""Command and CommandStack: every edit with its undo, named for the Edit menu.

The stack runs a command when it is pushed, undoes and redoes it, and merges consecutive
commands with the same ``merge_key`` into one step (the keystrokes of one typed number, the
drags of one slider); a merged step that ends where it began (a value typed back to what it
was: ``after == before``) is dropped. It knows which index is "clean" (the state last saved)
and calls its listeners after every change, so a menu can follow the texts of what Undo and
Redo would do.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Protocol

from nngui.workbench.listeners import Listeners

Listener = Callable[[], None]


@dataclass
class Command:
    """One edit: ``redo`` makes it, ``undo`` takes it back; ``text`` names it ("Set samples to
    5,000"). Consecutive commands with the same non-None ``merge_key`` merge into one step.
    ``before`` and ``after``, when given, are the states the command goes between: a merged
    step whose ``after`` equals its ``before`` leaves nothing to undo and is dropped."""

    text: str
    redo: Callable[[], None]
    undo: Callable[[], None]
    merge_key: Hashable | None = None
    before: object = None
    after: object = None

    def is_no_op(self) -> bool:
        """Whether the command ends where it began (both states given and equal)."""
        return self.before is not None and self.before == self.after


class UndoStack(Protocol):
    """What a workbench needs of an undo stack: CommandStack here, a QUndoStack in the GUI."""

    def push(self, command: Command) -> None:
        """Make ``command`` and put it on the stack (merging it with the top one if it may)."""

    def undo(self) -> object:
        """Take the last step back."""

    def redo(self) -> object:
        """Make the last undone step again."""

    def clear(self) -> None:
        """Forget every step."""

    def can_undo(self) -> bool:
        """Whether there is a step to undo."""

    def can_redo(self) -> bool:
        """Whether there is a step to redo."""

    def undo_text(self) -> str:
        """The name of the step Undo would take back ("" if none)."""

    def redo_text(self) -> str:
        """The name of the step Redo would make ("" if none)."""

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener()`` after every change of the stack; returns how to unsubscribe."""


class ReentryGuard:
    """Runs a command's redo or undo, refusing a command pushed from inside one."""

    def __init__(self) -> None:
        self._busy = False

    def check(self) -> None:
        """Raise RuntimeError if a command is running (it tried to push another)."""
        if self._busy:
            raise RuntimeError("a command pushed another command while it ran")

    def run(self, action: Callable[[], None]) -> None:
        """Call ``action()``, marked as a command running."""
        self._busy = True
        try:
            action()
        finally:
            self._busy = False


class CommandStack:
    """Undo and redo over pushed commands (see the module docstring)."""

    def __init__(self) -> None:
        self._done: list[Command] = []
        self._undone: list[Command] = []
        self._clean: int | None = 0  # len(self._done) at the clean state; None: unreachable
        self._notify: Listeners[[]] = Listeners()
        self._guard = ReentryGuard()

    # ----- changing -------------------------------------------------------------------------
    def push(self, command: Command) -> None:
        """Make ``command`` (call its redo) and put it on the stack; forgets what was undone."""
        self._guard.check()
        self._guard.run(command.redo)
        top = self._done[-1] if self._done else None
        mergeable = top is not None and command.merge_key is not None and not self._undone
        if mergeable and top is not None and top.merge_key == command.merge_key:
            if self._clean == len(self._done):
                self._clean = None  # the merged step no longer ends at the saved state
            merged = Command(
                command.text, command.redo, top.undo, top.merge_key, top.before, command.after
            )
            if merged.is_no_op():
                self._done.pop()  # typed back to what it was: no step left
            else:
                self._done[-1] = merged
        else:
            if self._clean is not None and self._clean > len(self._done):
                self._clean = None  # the saved state was among the undone steps: now gone
            self._done.append(command)
        self._undone.clear()
        self._notify()

    def undo(self) -> bool:
        """Take the last step back; False if there is none. A step whose undo raises stays
        where it was (the error goes on to the caller)."""
        if not self._done:
            return False
        self._guard.run(self._done[-1].undo)
        self._undone.append(self._done.pop())
        self._notify()
        return True

    def redo(self) -> bool:
        """Make the last undone step again; False if there is none (a redo that raises leaves
        the step undone)."""
        if not self._undone:
            return False
        self._guard.run(self._undone[-1].redo)
        self._done.append(self._undone.pop())
        self._notify()
        return True

    def clear(self) -> None:
        """Forget every step (after a model is opened, say); the state now is the clean one."""
        self._done.clear()
        self._undone.clear()
        self._clean = 0
        self._notify()

    def mark_clean(self) -> None:
        """The state now is the saved one."""
        self._clean = len(self._done)
        self._notify()

    # ----- reading --------------------------------------------------------------------------
    def can_undo(self) -> bool:
        """Whether there is a step to undo."""
        return bool(self._done)

    def can_redo(self) -> bool:
        """Whether there is a step to redo."""
        return bool(self._undone)

    def undo_text(self) -> str:
        """The name of the step Undo would take back ("" if none)."""
        return self._done[-1].text if self._done else ""

    def redo_text(self) -> str:
        """The name of the step Redo would make ("" if none)."""
        return self._undone[-1].text if self._undone else ""

    def count(self) -> int:
        """Steps that can be undone."""
        return len(self._done)

    def texts(self) -> list[str]:
        """The names of the steps done, oldest first."""
        return [c.text for c in self._done]

    def is_clean(self) -> bool:
        """Whether the state is the one last marked clean (saved, or just opened)."""
        return self._clean == len(self._done)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener()`` after every change of the stack; returns how to unsubscribe."""
        return self._notify.add(listener)
