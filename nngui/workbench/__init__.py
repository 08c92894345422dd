"""The application's state and commands, without Qt: what the window shows and edits.

``Settings`` (data, layers, training) are one immutable value; every edit goes through a
``Workbench`` as a named command on its ``CommandStack`` (undo, redo), and listeners hear of
each change through plain callbacks. ``RunState`` is the training run's state machine, and
``Runs`` keeps every run with its settings, history, metrics and weights. Widgets bind to these
(``nngui.gui``); the command line and the tests use them headless.
"""

from nngui.workbench.commands import Command, CommandStack, UndoStack
from nngui.workbench.run_state import RunState, RunStateError
from nngui.workbench.runs import RunRecord, Runs, RunsError
from nngui.workbench.settings import Settings, SettingsError, describe_change, starts_new_network
from nngui.workbench.workbench import Workbench

__all__ = [
    "Command",
    "CommandStack",
    "RunRecord",
    "RunState",
    "RunStateError",
    "Runs",
    "RunsError",
    "Settings",
    "SettingsError",
    "UndoStack",
    "Workbench",
    "describe_change",
    "starts_new_network",
]
