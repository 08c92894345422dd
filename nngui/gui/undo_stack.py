"""QtCommandStack: the workbench's undo stack as a QUndoStack; UndoActions: Edit ▸ Undo, Redo.

The workbench pushes plain ``Command`` objects (no Qt); this stack wraps each in a
QUndoCommand, so Qt's undo machinery (merging by id, dropping obsolete steps, the clean index)
runs them. ``UndoActions`` are the Edit menu's Undo and Redo, named after the step they would
take ("&Undo Set learning rate to 0.001") and disabled while a run owns the network.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack

from nngui.workbench import Command, UndoStack
from nngui.workbench.commands import ReentryGuard
from nngui.workbench.listeners import Listeners

#: QUndoCommand.id() of commands that may merge (their merge keys decide whether they do).
_MERGING = 1


class _QtCommand(QUndoCommand):
    """A workbench Command run by a QUndoStack."""

    def __init__(self, command: Command, stack: QtCommandStack) -> None:
        super().__init__(command.text)
        self.command = command
        self._stack = stack

    def redo(self) -> None:  # Qt override
        try:
            self._stack.guard.run(self.command.redo)
        except (ValueError, OSError) as exc:  # the data cannot be read any more
            self._stack.step_failed(exc, self._stack.index())

    def undo(self) -> None:  # Qt override
        try:
            self._stack.guard.run(self.command.undo)
        except (ValueError, OSError) as exc:
            self._stack.step_failed(exc, self._stack.index())

    def id(self) -> int:  # Qt override
        return _MERGING if self.command.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt override)
        if not isinstance(other, _QtCommand):
            return False
        mine, theirs = self.command, other.command
        if mine.merge_key != theirs.merge_key:
            return False
        self.command = Command(
            theirs.text, theirs.redo, mine.undo, mine.merge_key, mine.before, theirs.after
        )
        self.setText(theirs.text)
        self.setObsolete(self.command.is_no_op())  # typed back to what it was: no step
        return True


class QtCommandStack(QUndoStack):
    """A QUndoStack that takes the workbench's Commands (it satisfies ``UndoStack``).

    A step that cannot be undone or redone (its data file is gone) changes nothing: the
    workbench raises before changing anything, the stack goes back to the step it was at, and
    ``failed`` says why.
    """

    #: Undo or redo could not be done; the message says why (nothing changed).
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.guard = ReentryGuard()
        self._notify: Listeners[[]] = Listeners()
        self.indexChanged.connect(self._on_change)
        self.cleanChanged.connect(self._on_change)

    def push(self, command: Command) -> None:  # type: ignore[override]  # takes a Command
        """Make ``command`` and put it on the stack (see the module docstring)."""
        self.guard.check()
        super().push(_QtCommand(command, self))
        self._notify()  # a merge may change the texts without moving the index

    def can_undo(self) -> bool:
        """Whether there is a step to undo."""
        return self.canUndo()

    def can_redo(self) -> bool:
        """Whether there is a step to redo."""
        return self.canRedo()

    def undo_text(self) -> str:
        """The name of the step Undo would take back ("" if none)."""
        return self.undoText() if self.canUndo() else ""

    def redo_text(self) -> str:
        """The name of the step Redo would make ("" if none)."""
        return self.redoText() if self.canRedo() else ""

    def mark_clean(self) -> None:
        """The state now is the saved one."""
        self.setClean()

    def is_clean(self) -> bool:
        """Whether the state is the one last marked clean."""
        return self.isClean()

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener()`` after every change of the stack; returns how to unsubscribe."""
        return self._notify.add(listener)

    def _on_change(self, *_: object) -> None:
        self._notify()

    def step_failed(self, error: Exception, index: int) -> None:
        """A step's undo or redo raised ``error`` at ``index``: Qt moves the index on anyway,
        so move it back once Qt is done (that redoes or undoes the step next to it, whose
        settings are the ones still in force: no change), then say why."""

        def restore() -> None:
            if self.index() != index:
                self.setIndex(index)
            self.failed.emit(" ".join(str(error).split()) or type(error).__name__)

        QTimer.singleShot(0, restore)


class UndoActions(QObject):
    """Undo and Redo actions for ``stack``, with the standard shortcuts, named after their steps.

    ``set_enabled(False)`` disables both (a run owns the network); otherwise each is enabled
    when its stack has a step for it.
    """

    def __init__(self, stack: UndoStack, parent: QObject) -> None:
        super().__init__(parent)
        self.stack = stack
        self._on = True
        self.undo = QAction("&Undo", parent)
        self.undo.setObjectName("undo_action")
        self.undo.setShortcuts(QKeySequence.StandardKey.Undo)
        self.undo.triggered.connect(self._undo)
        self.redo = QAction("&Redo", parent)
        self.redo.setObjectName("redo_action")
        self.redo.setShortcuts(QKeySequence.StandardKey.Redo)  # Ctrl+Shift+Z among them
        self.redo.triggered.connect(self._redo)
        self._unsubscribe = stack.subscribe(self.update)
        self.destroyed.connect(lambda *_: self._unsubscribe())
        self.update()

    def set_enabled(self, on: bool) -> None:
        """Allow undo and redo (when there is a step), or forbid both."""
        self._on = on
        self.update()

    def update(self) -> None:
        """Follow the stack: each action's text names its step; enabled when it has one."""
        for action, word, can, text in (
            (self.undo, "&Undo", self.stack.can_undo(), self.stack.undo_text()),
            (self.redo, "&Redo", self.stack.can_redo(), self.stack.redo_text()),
        ):
            action.setText(f"{word} {text}" if can and text else word)
            action.setEnabled(self._on and can)
            action.setToolTip(f"{word.replace('&', '')} {text}" if can and text else "")

    def _undo(self) -> None:
        if self._on and self.stack.can_undo():
            self.stack.undo()

    def _redo(self) -> None:
        if self._on and self.stack.can_redo():
            self.stack.redo()
