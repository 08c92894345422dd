"""SettingsGuard: edits to the settings that would replace a trained network ask first.

Changing the data or the layers (undo and redo included), Reset weights and applying a preset
all start a new, untrained network. With unsaved trained work the window asks Save / Discard /
Cancel first: Discard (or Save) goes on, Cancel puts the edit back — the data settings to those
of the trained network's data, the layers to the undo index the network was built from. A
number being typed into a spin box is one edit, asked about when it is finished (Return, or the
box losing the focus), not at every digit. The guard also keeps the preset box showing the
preset the settings match, or "Custom settings".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QWidget

from nngui.core.data import DataSpecError
from nngui.core.presets import matching_preset

if TYPE_CHECKING:
    from nngui.gui.main_window import MainWindow


def typing_box(window: QWidget) -> QAbstractSpinBox | None:
    """The spin box of ``window`` being typed into: it has the window's keyboard focus (the
    focus when the window is active) and text typed since its value was last set, or None."""
    widget: QWidget | None = window.focusWidget()
    if isinstance(widget, QAbstractSpinBox):
        widget = widget.findChild(QLineEdit)
    if isinstance(widget, QLineEdit):
        box = widget.parentWidget()
        if isinstance(box, QAbstractSpinBox):
            return box if widget.isModified() else None
    return None


class SettingsGuard(QObject):
    """Asks before settings edits replace unsaved trained work, and reverts cancelled ones."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._reverting = False  # putting a cancelled edit back: its signals are not edits
        # (box, slot): a spin box being typed into, whose edit waits to be asked about
        self._typing: tuple[QAbstractSpinBox, Callable[[], None]] | None = None
        window.data_panel.changed.connect(self._on_data_changed)
        window.layer_builder.changed.connect(self._on_layers_changed)
        for panel in (window.data_panel, window.layer_builder, window.training_panel):
            # After the edit has settled (a cancelled one is put back first).
            panel.changed.connect(lambda: QTimer.singleShot(0, self, self.sync_preset_shown))
        window.training_panel.set_preset_guard(
            lambda name: self.may_start_over("applying a preset")
        )

    # ----- public API ---------------------------------------------------------------------
    def may_start_over(self, doing: str) -> bool:
        """Whether an edit that replaces the network may go on (asks about unsaved work)."""
        return self.window.files.confirm_discard(
            doing, f"{doing.capitalize()} starts a new, untrained network. "
            "Save the trained model first?",
        )  # fmt: skip

    def reset_clicked(self) -> None:
        """Reset weights, after asking about unsaved trained work."""
        if self.may_start_over("resetting the weights"):
            self.window.reset_weights()

    def finish_typing(self) -> None:
        """Settle an edit still being typed (its question first), e.g. before training."""
        if self._typing is not None:
            self._typing[0].editingFinished.emit()

    def sync_preset_shown(self) -> None:
        """Show the preset whose settings are exactly those shown, else "Custom settings"."""
        w = self.window
        try:
            spec = w.data_panel.spec()
        except DataSpecError:
            spec = None
        layers = w.layer_builder.layers()
        w.training_panel.show_preset(matching_preset(spec, layers, w.config()))

    # ----- edits --------------------------------------------------------------------------
    def _on_data_changed(self) -> None:
        if not (self.window.run.running or self._reverting):
            self._once_typed(self.window.data_panel, self._confirm_data_edit)

    def _on_layers_changed(self) -> None:
        if not (self.window.run.running or self._reverting):
            self._once_typed(self.window.layer_builder, self._confirm_layer_edit)

    def _confirm_data_edit(self) -> None:
        w = self.window
        assert w.session is not None  # the window makes one (the article's) as it starts
        try:
            if w.data_panel.spec() == w.session.dataset.spec:
                return  # typed back to what it was: nothing to start over
        except DataSpecError:
            return  # settings that cannot be used: the panel says why; training refuses them
        if self.may_start_over("changing the data"):
            self._start_over()
        else:  # Cancel: the settings go back to those of the trained network's data
            spec = w.session.dataset.spec
            self._revert_later(lambda: self.window.data_panel.set_spec(spec))

    def _confirm_layer_edit(self) -> None:
        if self.window.layer_builder.is_built():
            return  # back to the layers the network was built from: nothing to start over
        if self.may_start_over("changing the layers"):
            self._start_over()
        else:  # Cancel: back to the layers the network was built from (undo or redo)
            self._revert_later(self.window.layer_builder.revert_to_built)

    def _start_over(self) -> None:
        self.window.reset_weights()
        self.window.setWindowModified(True)

    def _once_typed(self, panel: QWidget, decide: Callable[[], None]) -> None:
        """Call ``decide`` now, or once the number being typed into ``panel`` is finished."""
        if self._typing is not None:
            return  # the box being typed into will ask when it is done
        box = typing_box(self.window)
        if box is None or not panel.isAncestorOf(box) or not self.window.has_unsaved_work():
            decide()
            return

        def done() -> None:
            self._stop_waiting_for_typing()
            decide()

        self._typing = (box, done)
        box.editingFinished.connect(done)

    def _stop_waiting_for_typing(self) -> None:
        if self._typing is not None:
            box, done = self._typing
            self._typing = None
            box.editingFinished.disconnect(done)

    def _revert_later(self, revert: Callable[[], None]) -> None:
        """Put a cancelled edit back once the widget that made it has finished with the event.

        (Reverting inside the edit's own signal would be overwritten: a spin box still holds
        the typed text, and an undo command is not on its stack until its signal returns.)
        Edits made meanwhile are ignored: the revert restores what the network was built from.
        """
        self._reverting = True

        def run() -> None:
            try:
                revert()
            finally:
                self._reverting = False

        QTimer.singleShot(0, self, run)
