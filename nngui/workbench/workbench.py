"""Workbench: the settings and the edits made to them, each an undoable, named command.

Every edit (data, layers, initialisation, training settings, a preset) goes through
``edit`` or one of the ``set_…`` helpers: it is validated first (a bad edit raises and changes
nothing), then pushed on ``stack`` as a Command named by ``describe_change``; undo and redo put
the settings back exactly. Listeners get ``(old, new)`` after every change, whoever made it
(an edit, an undo, a redo, ``load``), and ``starts_new_network(old, new)`` tells them whether
the network must start over.

An edit that changes the targets resizes the output layer to match (its activation kept).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from nngui.core.data import DataSpec, DataSpecError
from nngui.core.network import LayerSpec
from nngui.core.training import TrainConfigError
from nngui.workbench.commands import Command, CommandStack, UndoStack
from nngui.workbench.settings import Settings, SettingsError, describe_change

SettingsListener = Callable[[Settings, Settings], None]


class Workbench:
    """The settings, their undo stack and their listeners (see the module docstring).

    ``stack`` is a CommandStack unless another UndoStack is given (the GUI gives a QUndoStack
    that wraps the workbench's commands, so the Edit menu undoes them).
    """

    def __init__(self, settings: Settings | None = None, stack: UndoStack | None = None) -> None:
        self._settings = settings if settings is not None else Settings()
        self.stack: UndoStack = stack if stack is not None else CommandStack()
        self._listeners: list[SettingsListener] = []

    @property
    def settings(self) -> Settings:
        """The settings now."""
        return self._settings

    def subscribe(self, listener: SettingsListener) -> Callable[[], None]:
        """Call ``listener(old, new)`` after every change; returns how to unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    # ----- edits ----------------------------------------------------------------------------
    def edit(
        self, new: Settings, text: str | None = None, merge_key: Hashable | None = None
    ) -> bool:
        """Change the settings to ``new`` as one undoable step (named ``text``, or after what
        changed); False when ``new`` equals the settings now (nothing is pushed)."""
        old = self._settings
        if new == old:
            return False
        name = text or describe_change(old, new)
        self.stack.push(
            Command(name, lambda: self._apply(new), lambda: self._apply(old), merge_key, old, new)
        )
        return True

    def set_data_spec(self, data: DataSpec, merge_key: Hashable | None = None) -> bool:
        """Change the data settings to ``data`` (the output layer follows its targets)."""
        return self.edit(self._fitted(self._settings, data=data), merge_key=merge_key)

    def set_data(self, merge_key: Hashable | None = None, **changes: Any) -> bool:
        """Change data settings (DataSpec fields: ``samples=5000``, ``seed=7`` …)."""
        try:
            data = dataclasses.replace(self._settings.data, **changes)
        except TypeError as exc:
            raise SettingsError(f"unknown data setting ({exc})") from None
        return self.set_data_spec(data, merge_key)

    def set_training(
        self, merge_key: Hashable | None = None, text: str | None = None, **changes: Any
    ) -> bool:
        """Change training settings (TrainConfig fields: ``lr=0.001``, ``epochs=500`` …),
        named ``text`` if given."""
        try:
            training = dataclasses.replace(self._settings.training, **changes)
        except TypeError as exc:
            raise SettingsError(f"unknown training setting ({exc})") from None
        return self.edit(self._settings.replace(training=training), text, merge_key)

    def set_layers(
        self, layers: Sequence[LayerSpec], text: str | None = None,
        merge_key: Hashable | None = None,
    ) -> bool:  # fmt: skip
        """Change the layers after the input (output layer last), named ``text`` if given."""
        return self.edit(self._settings.replace(layers=tuple(layers)), text, merge_key)

    def set_hidden(
        self, hidden: Sequence[LayerSpec], text: str | None = None,
        merge_key: Hashable | None = None,
    ) -> bool:  # fmt: skip
        """Change the hidden layers, keeping the output layer."""
        return self.set_layers([*hidden, self._settings.layers[-1]], text, merge_key)

    def apply_preset(self, name: str) -> bool:
        """Replace every setting with the preset ``name``'s, as one step."""
        return self.edit(Settings.from_preset(name), f"Apply preset {name}")

    def load(self, settings: Settings) -> None:
        """Take ``settings`` as they are (a model was opened) and forget the undo history."""
        self._apply(settings)
        self.stack.clear()

    # ----- internals ------------------------------------------------------------------------
    @staticmethod
    def _fitted(settings: Settings, data: DataSpec) -> Settings:
        """``settings`` with ``data``, the output layer resized to its targets."""
        out = settings.layers[-1]
        layers = settings.layers
        if out.units != len(data.targets):
            layers = (*settings.hidden, LayerSpec(len(data.targets), out.activation))
        return settings.replace(data=data, layers=layers)

    def _apply(self, new: Settings) -> None:
        old, self._settings = self._settings, new
        if old != new:
            for listener in list(self._listeners):
                listener(old, new)


__all__ = ["DataSpecError", "TrainConfigError", "Workbench"]
